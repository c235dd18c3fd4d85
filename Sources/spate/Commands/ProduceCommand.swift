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
        if outcome.tooLarge > 0 {
            StandardStreams.writeError("spate produce: \(outcome.tooLarge) lines were too large to send\n")
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
        /// Lines over the producer's record size limit, never sent.
        var tooLarge: Int
    }

    /// Reads stdin to its end, sending each line, then flushes.
    private static func produceStandardInput(
        client: KafkaClient, topic: String, config: ProducerConfig, keyField: String?
    ) throws(KafkaClientError) -> ProduceOutcome {
        let producer = try KafkaProducer(client: client, config: config)
        var lines = LineReader(fd: 0)
        var keyless = 0
        var tooLarge = 0
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
            do throws(KafkaClientError) {
                try producer.send(topic: topic, key: key, value: line)
            } catch {
                // One oversized line fails alone; anything else (an unknown topic, say) ends the run.
                guard case .recordTooLarge = error else { throw error }
                if tooLarge == 0 {
                    StandardStreams.writeError("spate produce: line \(lines.lineNumber) not sent: \(error)\n")
                }
                tooLarge += 1
            }
        }
        let report = try producer.flush()
        producer.close()
        return ProduceOutcome(report: report, keyless: keyless, tooLarge: tooLarge)
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
