import Foundation
import Synchronization
import Testing
import Wire

@testable import Broker

/// A client of `broker` with quick retries, so a test that expects a failure sees it soon.
func testClient(_ broker: KafkaBroker, _ tweak: (inout KafkaClientConfig) -> Void = { _ in }) throws -> KafkaClient {
    var config = KafkaClientConfig(bootstrap: "127.0.0.1:\(broker.port)", clientId: "spate-client-test")
    config.retryBackoffMs = 20
    config.retryBackoffMaxMs = 200
    tweak(&config)
    return try KafkaClient(config)
}

/// Starts a broker, hands `body` a client of it, and closes both afterwards.
func withClient<Result>(
    _ tweak: (inout BrokerConfig) -> Void = { _ in }, _ body: (KafkaBroker, KafkaClient) throws -> Result
) throws -> Result {
    try withBroker(tweak) { broker in
        let client = try testClient(broker)
        defer { client.close() }
        return try body(broker, client)
    }
}

/// Runs `body` on a thread of its own and returns a way to wait for its result.
final class BackgroundRun<Value: Sendable>: Sendable {
    private let outcome = Mutex<Result<Value, any Error>?>(nil)

    init(_ body: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            let result = Result { try body() }
            outcome.withLock { $0 = result }
        }
        thread.start()
    }

    /// The result once `body` has finished; throws if it threw or did not finish within `timeoutMs`.
    func result(timeoutMs: Int = 60_000) throws -> Value {
        guard eventually(timeoutMs: timeoutMs, { outcome.withLock { $0 != nil } }) else {
            throw ServerTestFailure("background work did not finish within \(timeoutMs) ms")
        }
        return try outcome.withLock { $0! }.get()
    }

    /// True once `body` has finished.
    var isFinished: Bool { outcome.withLock { $0 != nil } }
}

/// Every record of every partition of `topic`, fetched from offset 0 up to the high watermark.
func fetchAll(_ client: KafkaClient, topic: String) throws -> [Int32: [Record]] {
    var out: [Int32: [Record]] = [:]
    let latest = try client.offsets(topic: topic, at: .latest)
    for (partition, end) in latest {
        var offset: Int64 = 0
        var records: [Record] = []
        while offset < end {
            let fetched = try client.fetch(
                topic: topic, partition: partition, offset: offset, options: FetchOptions(maxWaitMs: 0, verifyCRC: true)
            )
            records += try fetched.decodedRecords()
            guard fetched.nextOffset > offset else { throw ServerTestFailure("fetch made no progress at \(offset)") }
            offset = fetched.nextOffset
        }
        out[partition] = records
    }
    return out
}

/// A producer configuration with small batches, so a few thousand records make many batches.
func smallBatches(_ acks: Acks = .all) -> ProducerConfig {
    var config = ProducerConfig(acks: acks, lingerMs: 2, batchBytes: 4096)
    config.deliveryTimeoutMs = 60_000
    return config
}
