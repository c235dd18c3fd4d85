import Broker
import Dispatch
import Foundation
import Query

#if canImport(Glibc)
    import Glibc
#endif

/// `spate gen clicks`: generated click events into a topic, paced against the real clock.
enum GenCommands {
    /// The `gen` group; it runs nothing itself.
    static let group = CommandSpec(
        name: "gen",
        summary: "Generate test data into a topic",
        subcommands: [clicks])

    /// `spate gen clicks`.
    static let clicks = CommandSpec(
        name: "clicks",
        summary: "Produce generated website clicks (the clickstream example's input)",
        description: """
            Produce JSON click events (ts, ip, user_id, url, referrer, user_agent, status, bytes; about \
            200 bytes each) to --topic, keyed by user_id so one user's clicks stay in order in one \
            partition. URLs and users are Zipf-skewed, event times follow the real clock and trail it by \
            up to 3 s (out of order, within the example's 5 s watermark), and --malformed-share of the \
            lines are broken on purpose (truncated JSON, invalid UTF-8, a missing or bad ts, a status that \
            is not a number). Events go out in small bursts at --rate per second; --rate 0 sends as fast as \
            the broker takes them. Creates the topic with --partitions partitions if it is missing. Prints a \
            progress line every 5 s and a summary; stops after --count events or --duration seconds, or \
            on Ctrl-C / SIGTERM after flushing (exit code 0; 1 if any record failed). With --truth FILE, \
            writes one JSON line per event sent: its partition and the fields the example jobs aggregate, \
            plus the defect of a malformed line.
            """,
        flags: [
            KafkaClientCLI.brokerFlag,
            .string("topic", default: "website-logs", valueName: "TOPIC", help: "the topic to write to"),
            .int("rate", default: 20_000, valueName: "N", help: "events per second; 0 means as fast as possible"),
            .double("duration", valueName: "S", help: "stop after S seconds"),
            .int("count", valueName: "N", help: "stop after N events"),
            .int("seed", valueName: "S", help: "seed of the generated stream (default: a random one, printed)"),
            .double("malformed-share", default: 0.005, valueName: "F", help: "share of malformed lines, 0...1"),
            .int("partitions", default: 3, valueName: "P", help: "partitions of the topic when it must be created"),
            .string("truth", valueName: "FILE", help: "write the ground truth of every event sent to FILE"),
        ],
        handler: { arguments in
            let options = try options(from: arguments)
            // Built before anything runs, so a bad --broker is a usage error rather than a failed run.
            let client = try KafkaClientCLI.client(arguments, clientId: "spate-gen")
            return try await run(options, client: client, broker: arguments.string("broker"))
        })

    /// The run the flags describe; bad values are usage errors.
    static func options(from arguments: ParsedArguments) throws -> ClickStreamOptions {
        let rate = arguments.int("rate")
        guard (0...ClickStreamOptions.rateMax).contains(rate) else {
            throw InvalidArgument("--rate must be in 0...\(ClickStreamOptions.rateMax), got \(rate)")
        }
        let count = try TopicsCommands.optionalRange("count", arguments, 1...Int(Int64.max))
        let duration = arguments.optionalDouble("duration")
        if let duration, !(duration > 0 && duration <= 366 * 86_400) {
            throw InvalidArgument("--duration must be above 0 and at most a year of seconds, got \(duration)")
        }
        if count != nil && duration != nil { throw InvalidArgument("give --count or --duration, not both") }
        let share = arguments.double("malformed-share")
        guard (0...1).contains(share) else { throw InvalidArgument("--malformed-share must be in 0...1, got \(share)") }
        let partitions = arguments.int("partitions")
        guard (1...10_000).contains(partitions) else {
            throw InvalidArgument("--partitions must be in 1...10000, got \(partitions)")
        }
        let topic = arguments.string("topic")
        if let problem = TopicName.problem(topic) { throw InvalidArgument("--topic: \(problem)") }
        let seed = try arguments.optionalInt("seed").map { value -> UInt64 in
            guard value >= 0 else { throw InvalidArgument("--seed must not be negative, got \(value)") }
            return UInt64(value)
        }
        let truth = arguments.optionalString("truth")
        if truth?.isEmpty == true { throw InvalidArgument("--truth needs a file name") }
        return ClickStreamOptions(
            topic: topic, ratePerSecond: rate, count: count, durationSeconds: duration,
            seed: seed ?? UInt64.random(in: 0...UInt64(Int64.max)), malformedShare: share,
            partitions: Int32(partitions), truthPath: truth, explicitPartitions: arguments.isSet("partitions"))
    }

    /// Produces until done or signalled (on a thread of its own), then prints the summary.
    private static func run(_ options: ClickStreamOptions, client: KafkaClient, broker: String) async throws -> Int32 {
        let stop = StopFlag()
        let signals = stop.setOnSignals([SIGINT, SIGTERM])
        let outcome = await onThread { () -> Result<ClickStreamSummary, ClickStreamError> in
            defer { client.close() }
            return Result { () throws(ClickStreamError) in
                try ClickStream.produce(options, client: client, stop: stop) { line in
                    print(line)
                    // stdout is often a pipe (a supervisor, a test), where lines would sit in a buffer.
                    fflush(nil)
                }
            }
        }
        let summary: ClickStreamSummary
        switch outcome {
        case .success(let value): summary = value
        case .failure(.kafka(let error)): throw BrokerCommandError(error, broker: broker)
        case .failure(let error): throw error
        }
        withExtendedLifetime(signals) {}
        print(summary.description)
        guard summary.failed == 0 else {
            StandardStreams.writeError(
                "spate gen clicks: \(summary.failed) records failed; first failure: \(summary.firstFailure ?? "unknown")\n"
            )
            return ExitCode.failure
        }
        return ExitCode.success
    }
}
