import Broker
import Foundation

/// What the topics, produce and consume commands share: the `--broker` flag, a client with quick
/// retries (a user waiting at a prompt wants an answer, not a minute of backoff), and error text
/// that says what to do.
enum KafkaClientCLI {
    static let defaultBroker = "127.0.0.1:9092"

    /// The `--broker HOST:PORT` flag.
    static let brokerFlag = FlagSpec.string(
        "broker", default: defaultBroker, valueName: "HOST:PORT", help: "the broker to talk to")

    /// A client for `--broker`; a malformed address is a usage error.
    static func client(_ arguments: ParsedArguments, clientId: String) throws -> KafkaClient {
        let broker = arguments.string("broker")
        var config = KafkaClientConfig(bootstrap: broker, clientId: clientId)
        config.retries = 3
        config.connectTimeoutMs = 3_000
        do {
            _ = try KafkaClient.parseAddress(broker)
            return try KafkaClient(config)
        } catch {
            throw InvalidArgument("--broker must be HOST:PORT, got '\(broker)'")
        }
    }

    /// Runs blocking client work off Swift's pool, turning client errors into helpful messages.
    static func run<Value: Sendable>(
        broker: String, _ body: @escaping @Sendable () throws(KafkaClientError) -> Value
    ) async throws -> Value {
        do {
            return try await onThread(body)
        } catch {
            throw BrokerCommandError(error, broker: broker)
        }
    }
}

/// A client failure as the CLI reports it.
struct BrokerCommandError: Error, CustomStringConvertible {
    let underlying: KafkaClientError
    let broker: String

    init(_ underlying: KafkaClientError, broker: String) {
        self.underlying = underlying
        self.broker = broker
    }

    var description: String {
        switch underlying {
        case .unreachable(let address, let reason):
            "cannot reach the broker at \(address) (\(reason)); is `spate broker` running there? "
                + "Use --broker HOST:PORT for another address"
        case .unknownTopic(let topic):
            "unknown topic '\(topic)' on \(broker); create it with `spate topics create \(topic)`"
        default:
            underlying.description
        }
    }
}

/// The process's stdout as raw bytes, buffered; `print` would go through String and a lock per line.
struct StandardOutput {
    private var buffer: [UInt8] = []
    static let flushBytes = 64 << 10

    /// Appends bytes, writing out once the buffer is large.
    mutating func write<Bytes: Sequence>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushBytes { try flush() }
    }

    /// Writes whatever is buffered; throws when stdout is gone (a closed pipe).
    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        try FileHandle.standardOutput.write(contentsOf: buffer)
    }
}
