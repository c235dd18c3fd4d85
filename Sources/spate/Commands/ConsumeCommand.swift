import Broker
import Dispatch
import Foundation
import Synchronization
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// `spate consume TOPIC`: prints record values, one per line.
enum ConsumeCommand {
    static let spec = CommandSpec(
        name: "consume",
        summary: "Print a topic's records, one value per line",
        description: """
            Print the values of TOPIC's records, one per line (with --print-key: the key, a tab, then the \
            value; a null key prints as null). Without --group every partition is read from the latest \
            offset, or the earliest with --from-beginning. With --group G the partitions are shared with \
            the group's other members, reading resumes at the group's committed offsets (else latest, or \
            earliest with --from-beginning), and what was printed is committed on exit. Stops after --max \
            records, after --timeout-ms without a record, or on Ctrl-C (exit code 0).
            """,
        flags: [
            KafkaClientCLI.brokerFlag,
            .string("group", valueName: "G", help: "consume as a member of this consumer group"),
            .bool("from-beginning", help: "start at the earliest offset where nothing is committed"),
            .int("max", valueName: "N", help: "stop after N records"),
            .int("timeout-ms", valueName: "T", help: "stop after T ms without a record"),
            .bool("print-key", help: "print each record's key and a tab before its value"),
        ],
        positionals: [.required("TOPIC", help: "the topic to read")],
        handler: { arguments in try await run(arguments) })

    struct Options: Sendable {
        var topic: String
        var group: String?
        var fromBeginning: Bool
        var max: Int?
        var timeoutMs: Int?
        var printKey: Bool
    }

    private static func run(_ arguments: ParsedArguments) async throws -> Int32 {
        let options = Options(
            topic: arguments.positional("TOPIC"), group: arguments.optionalString("group"),
            fromBeginning: arguments.bool("from-beginning"),
            max: try TopicsCommands.optionalRange("max", arguments, 1...Int.max),
            timeoutMs: try TopicsCommands.optionalRange("timeout-ms", arguments, 0...86_400_000),
            printKey: arguments.bool("print-key"))
        if options.group?.isEmpty == true { throw InvalidArgument("--group must not be empty") }
        let client = try KafkaClientCLI.client(arguments, clientId: "spate-consume")
        let stop = StopFlag()
        // Ctrl-C and SIGTERM end the loop between polls, so the group commit still happens.
        let signals = stop.setOnSignals([SIGINT, SIGTERM])
        signal(SIGPIPE, SIG_IGN)
        try await KafkaClientCLI.run(broker: arguments.string("broker")) { () throws(KafkaClientError) in
            defer { client.close() }
            try consume(client: client, options: options, stop: stop)
        }
        withExtendedLifetime(signals) {}
        return ExitCode.success
    }

    /// The poll loop: prints, counts, and commits what it printed when in a group.
    private static func consume(client: KafkaClient, options: Options, stop: StopFlag) throws(KafkaClientError) {
        _ = try client.topicMetadata(options.topic)
        var config = ConsumerConfig(
            topics: [options.topic], groupId: options.group, resetTo: options.fromBeginning ? .earliest : .latest)
        // Short waits keep --timeout-ms and Ctrl-C prompt; a short session lets a killed consumer's
        // partitions move on soon.
        config.fetch.maxWaitMs = Int32(min(500, max(1, options.timeoutMs ?? 500)))
        config.sessionTimeoutMs = 10_000
        config.rebalanceTimeoutMs = 30_000
        config.heartbeatIntervalMs = 1_000
        let consumer = try KafkaConsumer(client: client, config: config)
        var output = StandardOutput()
        var printed = 0
        var consumed: [TopicPartition: Int64] = [:]
        var lastRecordMs = MonotonicClock.milliseconds()
        loop: while !stop.isSet {
            if let max = options.max, printed >= max { break }
            if let timeoutMs = options.timeoutMs, MonotonicClock.milliseconds() - lastRecordMs >= UInt64(timeoutMs) {
                break
            }
            for fetched in try consumer.poll() {
                var records = fetched.makeRecordIterator()
                while let view = try records.next() {
                    if let max = options.max, printed >= max { break loop }
                    do { try write(view, of: fetched, printKey: options.printKey, to: &output) } catch {
                        break loop  // stdout closed (`| head`): stop as if done
                    }
                    printed += 1
                    consumed[TopicPartition(topic: fetched.topic, partition: fetched.partition)] = view.offset + 1
                    lastRecordMs = MonotonicClock.milliseconds()
                }
            }
            try? output.flush()
        }
        try? output.flush()
        if options.group != nil && !consumed.isEmpty { try consumer.commit(consumed) }
        try consumer.close()
    }

    private static func write(
        _ view: RecordView, of fetched: FetchedPartition, printKey: Bool, to output: inout StandardOutput
    )
        throws
    {
        if printKey {
            if let key = fetched.key(of: view) { try output.write(key) } else { try output.write("null".utf8) }
            try output.write([UInt8(ascii: "\t")])
        }
        if let value = fetched.value(of: view) { try output.write(value) }
        try output.write([UInt8(ascii: "\n")])
    }
}

/// Set once by a signal, read by the poll loop.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    func set() { flag.store(true, ordering: .releasing) }

    var isSet: Bool { flag.load(ordering: .acquiring) }

    /// Sets the flag when any of `numbers` arrives, instead of their default action (ending the
    /// process). The handling lasts as long as the returned sources live.
    func setOnSignals(_ numbers: [Int32]) -> [DispatchSourceSignal] {
        numbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { self.set() }
            source.resume()
            return source
        }
    }
}
