import Broker
import Query
import Testing

@testable import Executor

/// Whatever goes wrong inside a task becomes a failed outcome with a clear message; the executor
/// keeps running and takes the next task.
@Suite struct TaskFailureTests {
    /// Records removed by retention before their batch ran: the failure says so.
    @Test func rangeRemovedByRetentionSaysSo() async throws {
        let broker = try await TestBroker.start { config in
            config.log = LogConfig(segmentBytes: 4_096, retentionBytes: 8_192)
            config.retentionCheckIntervalMs = 20
        }
        let data = ClickData(count: 600, partitions: 1, seed: 61)
        let client = broker.client
        try await onThread { try client.createTopic("website-logs", partitions: 1) }
        // One produce request per slice: a request's batches go into one segment, so several make several.
        for slice in stride(from: 0, to: data.values.count, by: 50) {
            let values = Array(data.values[slice..<min(slice + 50, data.values.count)])
            try await broker.produce(topic: "website-logs", values: values, partitions: values.map { _ in 0 })
        }
        let trimmed = await eventually {
            let earliest = try? client.listOffsets(topic: "website-logs", partitions: [0], at: .earliest)
            return (earliest?[0]?.offset ?? 0) > 0
        }
        #expect(trimmed, "retention removed the oldest segments")
        let driver = try FakeDriver(brokerAddress: broker.address)
        let node = try await ExecutorNode.start(testExecutorConfig(driver: driver.driverAddress))
        let id = try #require(await node.registered(timeoutMs: 60_000))
        let task = TaskFactory().map(batch: 3, partition: 0, start: 0, end: data.end(0), watermarkMs: nil)
        let outcome = try await driver.launch(task, on: id).outcome
        if case .failed(let message, nil) = outcome {
            #expect(message.contains("retention removed records"), "\(message)")
            #expect(message.hasPrefix("map task 0 of batch 3 (job pv_uv, attempt 0)"), "\(message)")
        } else {
            Issue.record("expected a failure, got \(outcome)")
        }
        await node.stop()
        await driver.stop()
        await broker.stop()
    }

    /// SQL that does not compile, an unknown topic, a range past the log's end and a reduce task
    /// for a stateless job each fail their task, and the executor still runs the next one.
    @Test func badTasksFailWithoutHarmingTheExecutor() async throws {
        let data = ClickData(count: 90, seed: 62)
        try await withCluster(executors: 1, data: data) { cluster, ids in
            let broken = TaskFactory(jobId: "broken", sql: "SELECT FROM nowhere")
            let stateless = TaskFactory(
                jobId: "plain",
                sql: """
                    CREATE STREAM s (user_id STRING) WITH (topic = 'website-logs', format = 'json');
                    CREATE SINK out WITH (type = 'console');
                    INSERT INTO out SELECT user_id FROM s;
                    """)
            let pvUV = TaskFactory()
            let cases: [(TaskDescription, String)] = [
                (broken.map(batch: 0, partition: 0, start: 0, end: 1, watermarkMs: nil), "does not compile"),
                (
                    pvUV.map(batch: 0, partition: 0, topic: "no-such-topic", start: 0, end: 1, watermarkMs: nil),
                    "no-such-topic"
                ),
                (pvUV.map(batch: 0, partition: 0, start: 500, end: 501, watermarkMs: nil), "past the end of its log"),
                (pvUV.map(batch: 0, partition: 0, start: 5, end: 2, watermarkMs: nil), "not a valid offset range"),
                (
                    stateless.reduce(batch: 0, partition: 0, outputs: [], stateVersion: nil, watermarkMs: nil),
                    "no reduce stage"
                ),
                (
                    pvUV.reduce(batch: 0, partition: 99, outputs: [], stateVersion: nil, watermarkMs: nil),
                    "partition 99 is outside"
                ),
            ]
            for (task, expected) in cases {
                let outcome = try await cluster.driver.launch(task, on: ids[0]).outcome
                guard case .failed(let message, nil) = outcome else {
                    Issue.record("expected a failure with '\(expected)', got \(outcome)")
                    continue
                }
                #expect(message.contains(expected), "\(message)")
            }
            let fine = pvUV.map(batch: 1, partition: 0, start: 0, end: data.end(0), watermarkMs: nil)
            let report = try await cluster.driver.launch(fine, on: ids[0]).outcome.mapReport()
            #expect(report.inputRecords == data.end(0))
        }
    }
}

/// Limits on what one task may hold.
@Suite struct TaskLimitTests {
    /// A range larger than a map task may read, and output larger than the shuffle store may keep,
    /// fail their tasks with messages that say what to change.
    @Test func inputAndShuffleLimitsFailTasksClearly() async throws {
        let data = ClickData(count: 600, partitions: 1, seed: 63)
        let broker = try await TestBroker.start()
        let client = broker.client
        try await onThread { try client.createTopic("website-logs", partitions: 1) }
        try await broker.produce(topic: "website-logs", values: data.values, partitions: data.partitionOfValue)
        let driver = try FakeDriver(brokerAddress: broker.address)
        var config = testExecutorConfig(driver: driver.driverAddress)
        config.taskInputBytesMax = 20_000
        config.shuffleBytesMax = 50
        let node = try await ExecutorNode.start(config)
        let id = try #require(await node.registered(timeoutMs: 60_000))
        let factory = TaskFactory()
        let whole = try await driver.launch(
            factory.map(batch: 0, partition: 0, start: 0, end: data.end(0), watermarkMs: nil), on: id
        ).outcome
        let small = try await driver.launch(
            factory.map(batch: 0, partition: 0, start: 0, end: 40, watermarkMs: nil), on: id
        ).outcome
        for (outcome, expected) in [(whole, "max_records_per_batch"), (small, "the shuffle store cannot take")] {
            if case .failed(let message, nil) = outcome {
                #expect(message.contains(expected), "\(message)")
            } else {
                Issue.record("expected a failure with '\(expected)', got \(outcome)")
            }
        }
        #expect(node.runner.shuffle.heldBytes == 0)
        await node.stop()
        await driver.stop()
        await broker.stop()
    }
}
