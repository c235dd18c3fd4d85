import Query
import Testing
import Wire

@testable import Executor

/// Registration, reconnection, heartbeats, cancellation and leaving.
@Suite struct LifecycleTests {
    /// An executor started before its driver keeps trying, says so, and registers once it is up.
    @Test func registersOnceTheDriverComesUp() async throws {
        let broker = try await TestBroker.start()
        let probe = try FakeDriver(brokerAddress: broker.address)
        let port = probe.address.port
        await probe.stop()
        let log = LogLines()
        let node = try await ExecutorNode.start(testExecutorConfig(driver: "127.0.0.1:\(port)", log: log))
        #expect(await eventually { log.count(containing: "waiting for the driver") >= 2 })
        #expect(node.executorId == nil)
        let driver = try FakeDriver(brokerAddress: broker.address, port: port)
        let id = await node.registered(timeoutMs: 60_000)
        #expect(id == "exec-1")
        #expect(await eventually { driver.heartbeats(of: "exec-1") >= 2 }, "heartbeats arrive")
        let registration = try #require(driver.registration(of: "exec-1"))
        #expect(registration.shufflePort == node.shuffleAddress.port && registration.shuffleHost == "127.0.0.1")
        #expect(registration.slots == 2)
        await node.stop()
        await driver.stop()
        await broker.stop()
    }

    /// When the driver connection drops, running attempts are abandoned, map output and state are
    /// forgotten, and the executor registers again under a new id.
    @Test func reRegistersWithANewIdAfterTheConnectionDrops() async throws {
        let data = ClickData(count: 300, seed: 51)
        try await withCluster(executors: 1, data: data) { cluster, ids in
            let node = try #require(cluster.node(ids[0]))
            let factory = TaskFactory()
            let done = factory.map(batch: 0, partition: 0, start: 0, end: data.end(0), watermarkMs: nil)
            _ = try await cluster.driver.launch(done, on: ids[0]).outcome.mapReport()
            #expect(node.runner.shuffle.outputCount == 1)
            // Records the broker does not have yet keep this attempt running.
            let waiting = factory.map(batch: 1, partition: 1, start: 0, end: data.end(1) + 10, watermarkMs: nil)
            let launch = Task { try await cluster.driver.launch(waiting, on: ids[0]) }
            #expect(await eventually { node.runningTaskCount == 1 })

            try #require(cluster.driver.connection(of: ids[0])).abort(.connectionClosed("test drops the executor"))
            #expect(await node.registered(after: 1, timeoutMs: 60_000) == "exec-2")
            #expect(node.registrationCount == 2)
            await #expect(throws: RPCError.self) { try await launch.value }
            #expect(await eventually { node.runningTaskCount == 0 }, "the abandoned attempt stops")
            #expect(node.runner.shuffle.outputCount == 0)
        }
    }

    /// Leaving (what SIGTERM does) tells the driver first, refuses new tasks, lets the running one
    /// finish and delivers its result, and only then closes the connection.
    @Test func leavingFinishesRunningTasksFirst() async throws {
        let data = ClickData(count: 300, seed: 52)
        try await withCluster(executors: 1, data: data) { cluster, ids in
            let node = try #require(cluster.node(ids[0]))
            let factory = TaskFactory()
            let extra = ClickData(count: 20, partitions: 1, seed: 53)
            let waiting = factory.map(batch: 0, partition: 2, start: 0, end: data.end(2) + 20, watermarkMs: nil)
            let launch = Task { try await cluster.driver.launch(waiting, on: ids[0]) }
            #expect(await eventually { node.runningTaskCount == 1 })

            let leaving = Task { await node.leave() }
            #expect(await eventually { cluster.driver.events.contains("leaving \(ids[0])") })
            let late = factory.map(batch: 0, partition: 0, start: 0, end: 1, watermarkMs: nil)
            let refused = try await cluster.driver.launch(late, on: ids[0]).outcome
            #expect(refused == .failed("the executor is leaving", fetchFailure: nil))

            try await cluster.broker.produce(
                topic: "website-logs", values: extra.values, partitions: extra.values.map { _ in 2 })
            let report = try await launch.value.outcome.mapReport()
            #expect(report.inputRecords == data.end(2) + 20)
            await leaving.value
            let events = cluster.driver.events
            let leftAt = try #require(events.firstIndex(of: "leaving \(ids[0])"))
            let resultAt = try #require(events.firstIndex(of: "result \(waiting.attemptId)"))
            #expect(leftAt < resultAt)
            let connection = try #require(cluster.driver.connection(of: ids[0]))
            #expect(await eventually { connection.isClosed })
            #expect(node.registrationCount == 1, "a leaving executor does not come back")
        }
    }

    /// cancelTask stops an attempt between phases; its result says it was cancelled.
    @Test func cancelStopsARunningAttempt() async throws {
        let data = ClickData(count: 300, seed: 54)
        try await withCluster(executors: 1, data: data) { cluster, ids in
            let node = try #require(cluster.node(ids[0]))
            let waiting = TaskFactory().map(batch: 0, partition: 0, start: 0, end: data.end(0) + 5, watermarkMs: nil)
            let launch = Task { try await cluster.driver.launch(waiting, on: ids[0]) }
            #expect(await eventually { node.runningTaskCount == 1 })
            try #require(cluster.driver.connection(of: ids[0])).send(
                ClusterMessageKind.cancelTask.rawValue, CancelTask(attemptId: waiting.attemptId).encoded())
            let outcome = try await launch.value.outcome
            guard case .failed(let message, nil) = outcome else {
                Issue.record("expected a failure, got \(outcome)")
                return
            }
            #expect(message.contains("cancelled by the driver"), "\(message)")
        }
    }
}

/// A leaving executor stays until the driver releases it.
@Suite struct LeavingTests {
    /// While the driver holds its answer to the leaving notice, the executor (its tasks done) keeps
    /// serving its shuffle output to a reduce on another executor; once released it closes.
    @Test func leavingExecutorServesShuffleOutputUntilReleased() async throws {
        let data = ClickData(count: 900, seed: 55)
        try await withCluster(executors: 2, data: data) { cluster, ids in
            let (leaver, stayer) = (ids[0], ids[1])
            let runner = try BatchRunner(driver: cluster.driver)
            let ranges = Dictionary(uniqueKeysWithValues: (0..<data.partitions).map { ($0, 0..<data.end($0)) })
            var batch = try await runner.map(batch: 0, ranges: ranges, watermarkMs: nil, mapOn: { _ in leaver })
            cluster.driver.holdLeaving(true)
            let node = try #require(cluster.node(leaver))
            let leaving = Task { await node.leave() }
            #expect(await eventually { cluster.driver.events.contains("leaving \(leaver)") })

            let closing = try #require(batch.maxEventTimeMs) + 60_000
            try await runner.reduce(&batch, batch: 0, stateVersion: nil, watermarkMs: closing, reduceOn: { _ in stayer })
            #expect(try batch.rows.sorted() == WindowRow.expected(data.counted(ranges, watermarkMs: nil)))
            let connection = try #require(cluster.driver.connection(of: leaver))
            #expect(!connection.isClosed)

            cluster.driver.holdLeaving(false)
            await leaving.value
            #expect(await eventually { connection.isClosed })
        }
    }
}
