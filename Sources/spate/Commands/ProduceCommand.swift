import Broker
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `spate produce TOPIC`: one record per stdin line.
enum ProduceCommand {
    static let spec = CommandSpec(
        name: "produce",
        summary: "Produce one record per line of stdin",
        description: """
            Produce one record per line of stdin to TOPIC (the line terminator, \\n or \\r\\n, is not part \
            of the value; an empty line is an empty record). With --key-field F each line is read as a JSON \
            object and the key is field F: a string's text, or the JSON text of any other value; a null \
            field gives a null key. A line that is not a JSON object with F is produced with a null key, \
            with one warning and a count at the end. Prints how many records were produced; exit code 1 \
            if any failed. Unknown topics are created by the broker, as Kafka producers do.
            """,
        flags: [
            KafkaClientCLI.brokerFlag,
            .string("key-field", valueName: "F", help: "take each record's key from this JSON field"),
            .string("acks", default: "all", valueName: "ACKS", help: "all, 1 or 0"),
            .int("linger-ms", default: 5, valueName: "MS", help: "how long a batch waits for more records"),
        ],
        positionals: [.required("TOPIC", help: "the topic to write to")],
        handler: { arguments in try await run(arguments) })

    private static func run(_ arguments: ParsedArguments) async throws -> Int32 {
        let topic = arguments.positional("TOPIC")
        var config = ProducerConfig(acks: try acks(arguments.string("acks")))
        config.lingerMs = arguments.int("linger-ms")
        guard (0...60_000).contains(config.lingerMs) else {
            throw InvalidArgument("--linger-ms must be in 0...60000, got \(config.lingerMs)")
        }
        let keyField = arguments.optionalString("key-field")
        let client = try KafkaClientCLI.client(arguments, clientId: "spate-produce")
        let settings = config
        let outcome = try await KafkaClientCLI.run(broker: arguments.string("broker")) {
            () throws(KafkaClientError) -> ProduceOutcome in
            defer { client.close() }
            return try produceStandardInput(client: client, topic: topic, config: settings, keyField: keyField)
        }
        if outcome.keyless > 0, let keyField {
            StandardStreams.writeError(
                "spate produce: \(outcome.keyless) line\(outcome.keyless == 1 ? " was" : "s were") not a JSON object with field '\(keyField)' and got a null key\n"
            )
        }
        print("produced \(outcome.report.acknowledged) records to \(topic)")
        guard outcome.report.failed.isEmpty else {
            let first = outcome.report.failed[0]
            StandardStreams.writeError(
                "spate produce: \(outcome.report.failedRecords) records failed; first failure on "
                    + "\(first.topic)/\(first.partition): \(first.error.map { "\($0)" } ?? "unknown")\n")
            return ExitCode.failure
        }
        return ExitCode.success
    }

    static func acks(_ text: String) throws -> Acks {
        switch text {
        case "all", "-1": .all
        case "1": .leader
        case "0": .none
        default: throw InvalidArgument("--acks must be all, 1 or 0, got '\(text)'")
        }
    }

    struct ProduceOutcome: Sendable {
        var report: FlushReport
        var keyless: Int
    }

    /// Reads stdin to its end, sending each line, then flushes.
    private static func produceStandardInput(
        client: KafkaClient, topic: String, config: ProducerConfig, keyField: String?
    ) throws(KafkaClientError) -> ProduceOutcome {
        let producer = try KafkaProducer(client: client, config: config)
        var lines = LineReader(fd: 0)
        var keyless = 0
        while let line = lines.next() {
            var key: [UInt8]? = nil
            if let keyField {
                switch JSONKey.extract(keyField, from: line) {
                case .bytes(let bytes): key = bytes
                case .null: key = nil
                case .missing:
                    if keyless == 0 {
                        StandardStreams.writeError(
                            "spate produce: line \(lines.lineNumber) is not a JSON object with field '\(keyField)'; "
                                + "producing it with a null key (later ones are only counted)\n")
                    }
                    keyless += 1
                }
            }
            try producer.send(topic: topic, key: key, value: line)
        }
        let report = try producer.flush()
        producer.close()
        return ProduceOutcome(report: report, keyless: keyless)
    }
}

/// Splits a file descriptor into lines without their `\n` or `\r\n`; a last line without a
/// terminator still counts.
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// 1-based number of the line `next` returned last.
    private(set) var lineNumber = 0

    init(fd: Int32) { self.fd = fd }

    mutating func next() -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                return line
            }
            fill()
        }
    }

    private mutating func fill() {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let got = chunk.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress, raw.count) }
        if got < 0 && errno == EINTR { return }
        guard got > 0 else {
            atEnd = true
            return
        }
        buffer.append(contentsOf: chunk[0..<got])
    }
}

/// The key `--key-field` takes from one JSON line.
enum JSONKey: Equatable {
    /// The field's text (a string) or JSON text (any other value).
    case bytes([UInt8])
    /// The field is JSON null.
    case null
    /// The line is not a JSON object, or has no such field.
    case missing

    /// The key of `line` under `field`.
    static func extract(_ field: String, from line: [UInt8]) -> JSONKey {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let value = object[field]
        else { return .missing }
        if value is NSNull { return .null }
        if let text = value as? String { return .bytes(Array(text.utf8)) }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
        else { return .missing }
        return .bytes([UInt8](data))
    }
}
