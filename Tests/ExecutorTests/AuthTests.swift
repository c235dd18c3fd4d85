import Query
import Testing
import Wire

@testable import Executor

/// The shared secret between executors and the driver, and between executors.
@Suite struct AuthTests {
    /// Executors with the driver's secret register and fetch each other's blocks; one with a wrong
    /// secret never registers and says why; a peer without the secret gets no block.
    @Test func secretGuardsTheDriverAndTheShuffleServer() async throws {
        let data = ClickData(count: 600, seed: 71)
        let broker = try await TestBroker.start()
        let client = broker.client
        try await onThread { try client.createTopic("website-logs", partitions: data.partitions) }
        try await broker.produce(topic: "website-logs", values: data.values, partitions: data.partitionOfValue)
        let driver = try FakeDriver(brokerAddress: broker.address, secret: "s3cret")
        var config = testExecutorConfig(driver: driver.driverAddress)
        config.secret = "s3cret"
        let first = try await ExecutorNode.start(config)
        let second = try await ExecutorNode.start(config)
        let wrongLog = LogLines()
        var wrongConfig = testExecutorConfig(driver: driver.driverAddress, log: wrongLog)
        wrongConfig.secret = "guess"
        let wrong = try await ExecutorNode.start(wrongConfig)

        let firstId = try #require(await first.registered(timeoutMs: 60_000))
        let secondId = try #require(await second.registered(timeoutMs: 60_000))
        let runner = try BatchRunner(driver: driver)
        let ranges = Dictionary(uniqueKeysWithValues: (0..<data.partitions).map { ($0, 0..<data.end($0)) })
        var batch = try await runner.map(batch: 0, ranges: ranges, watermarkMs: nil, mapOn: { _ in firstId })
        let closing = try #require(batch.maxEventTimeMs) + 60_000
        try await runner.reduce(&batch, batch: 0, stateVersion: nil, watermarkMs: closing, reduceOn: { _ in secondId })
        #expect(try batch.rows.sorted() == WindowRow.expected(data.counted(ranges, watermarkMs: nil)))

        #expect(await eventually { wrongLog.count(containing: "wrong secret") >= 1 })
        #expect(wrong.executorId == nil)

        let stranger = try await RPCClient.connect(to: first.shuffleAddress)
        let request = ShuffleBlockRequest(jobId: "pv_uv", batchId: 0, stage: 0, mapPartition: 0, reducePartition: 0)
        await #expect(throws: RPCError.self) {
            _ = try await stranger.call(ClusterMessageKind.fetchShuffleBlock.rawValue, request.encoded())
        }
        await stranger.close()

        for node in [first, second, wrong] { await node.stop() }
        await driver.stop()
        await broker.stop()
    }
}
