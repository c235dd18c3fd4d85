import Broker
import Foundation
import Query
import Synchronization
import Testing
import Wire

@testable import Executor

/// The clickstream job of `examples/clickstream/pv_uv.sql`.
let pvUVSQL = """
    CREATE STREAM clicks (
      ts TIMESTAMP, ip STRING, user_id STRING, url STRING, referrer STRING,
      user_agent STRING, status INT, bytes BIGINT
    ) WITH (topic = 'website-logs', format = 'json', event_time = 'ts', watermark = '5 seconds');

    CREATE SINK pv_uv WITH (type = 'file', path = 'out/pv_uv', format = 'jsonl');

    INSERT INTO pv_uv
    SELECT window.start AS window_start, window.end AS window_end,
           count(*) AS pv, count(DISTINCT user_id) AS uv, count(DISTINCT ip) AS ips
    FROM clicks
    WHERE status < 500
    GROUP BY window(ts, '10 seconds');
    """

/// A test failure with a readable reason.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs blocking work (producing, starting a broker) on a thread of its own, off the shared pool.
func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, any Error>, Never>) in
        Thread { continuation.resume(returning: Result { try body() }) }.start()
    }
    return try result.get()
}

/// Polls `condition` every few milliseconds until it holds or `timeoutMs` passes (a safety net:
/// success returns at once).
func eventually(timeoutMs: Int = 60_000, _ condition: () -> Bool) async -> Bool {
    let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMs)
    while !condition() {
        if MonotonicClock.milliseconds() >= deadline { return false }
        try? await Task.sleep(nanoseconds: 5_000_000)
    }
    return true
}

/// A broker in a fresh directory, removed when the test is done.
final class TestBroker: Sendable {
    let broker: KafkaBroker
    let directory: String
    let client: KafkaClient

    var address: String { "127.0.0.1:\(broker.port)" }

    static func start(_ tweak: @escaping @Sendable (inout BrokerConfig) -> Void = { _ in }) async throws -> TestBroker {
        try await onThread {
            let directory = "/tmp/spate-executortest-\(UUID().uuidString)"
            var config = BrokerConfig(dataDirectory: directory, port: 0)
            config.defaultPartitions = 3
            tweak(&config)
            let broker = try KafkaBroker.start(config)
            var clientConfig = KafkaClientConfig(bootstrap: "127.0.0.1:\(broker.port)", clientId: "executor-test")
            clientConfig.retryBackoffMs = 20
            return TestBroker(broker: broker, directory: directory, client: try KafkaClient(clientConfig))
        }
    }

    private init(broker: KafkaBroker, directory: String, client: KafkaClient) {
        self.broker = broker
        self.directory = directory
        self.client = client
    }

    /// Produces `values[i]` to partition `partitions[i]` and waits for every acknowledgement.
    func produce(topic: String, values: [[UInt8]], partitions: [Int32]) async throws {
        let client = self.client
        try await onThread {
            var config = ProducerConfig(acks: .all, lingerMs: 1, batchBytes: 64 << 10)
            config.deliveryTimeoutMs = 60_000
            let producer = try KafkaProducer(client: client, config: config)
            for (value, partition) in zip(values, partitions) {
                try producer.send(topic: topic, value: value, partition: partition)
            }
            let report = try producer.flush()
            _ = producer.close()
            guard report.failed.isEmpty else { throw TestFailure("produce failed: \(report.failed)") }
        }
    }

    func stop() async {
        let broker = self.broker
        let client = self.client
        let directory = self.directory
        _ = try? await onThread {
            client.close()
            broker.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}

/// Executor settings for tests: quick reconnects and heartbeats, log lines kept for assertions.
func testExecutorConfig(driver: String, slots: Int = 2, log: LogLines? = nil) -> ExecutorConfig {
    var config = ExecutorConfig(driverAddress: driver, slots: slots)
    config.reconnectBackoffMs = 20
    config.reconnectBackoffMaxMs = 200
    config.sourceWaitMs = 60_000
    if let log { config.log = { log.append($0) } }
    return config
}

/// Log lines an executor wrote.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
    func count(containing text: String) -> Int { all.filter { $0.contains(text) }.count }
}

/// A broker holding generated clicks, a fake driver, and executors registered with it.
final class TestCluster: Sendable {
    let broker: TestBroker
    let driver: FakeDriver
    let nodes = Mutex<[ExecutorNode]>([])

    private init(broker: TestBroker, driver: FakeDriver) {
        self.broker = broker
        self.driver = driver
    }

    /// Starts the broker (with `data` in `website-logs`, if given), the driver and `executors` executors.
    static func start(executors: Int, slots: Int = 2, data: ClickData? = nil) async throws -> TestCluster {
        let broker = try await TestBroker.start()
        let cluster: TestCluster
        do {
            if let data {
                let client = broker.client
                try await onThread { try client.createTopic("website-logs", partitions: data.partitions) }
                try await broker.produce(topic: "website-logs", values: data.values, partitions: data.partitionOfValue)
            }
            cluster = TestCluster(broker: broker, driver: try FakeDriver(brokerAddress: broker.address))
        } catch {
            await broker.stop()
            throw error
        }
        do {
            for _ in 0..<executors { _ = try await cluster.addExecutor(slots: slots) }
        } catch {
            await cluster.stop()
            throw error
        }
        return cluster
    }

    /// Starts one more executor and waits for its registration; returns it and its id.
    func addExecutor(slots: Int = 2, log: LogLines? = nil) async throws -> (ExecutorNode, String) {
        let node = try await ExecutorNode.start(
            testExecutorConfig(driver: driver.driverAddress, slots: slots, log: log))
        nodes.withLock { $0.append(node) }
        guard let id = await node.registered(timeoutMs: 60_000) else {
            throw TestFailure("the executor did not register within 60 s")
        }
        return (node, id)
    }

    /// The executor registered as `id`, if it is one of ours.
    func node(_ id: String) -> ExecutorNode? { nodes.withLock { $0 }.first { $0.executorId == id } }

    func stop() async {
        for node in nodes.withLock({ $0 }) { await node.stop() }
        await driver.stop()
        await broker.stop()
    }
}

/// Runs `body` with a cluster and stops it afterwards, whether `body` throws or not.
func withCluster(
    executors: Int, slots: Int = 2, data: ClickData? = nil, _ body: (TestCluster, [String]) async throws -> Void
) async throws {
    let cluster = try await TestCluster.start(executors: executors, slots: slots, data: data)
    let ids = cluster.nodes.withLock { $0 }.compactMap(\.executorId)
    do {
        try await body(cluster, ids)
    } catch {
        await cluster.stop()
        throw error
    }
    await cluster.stop()
}
