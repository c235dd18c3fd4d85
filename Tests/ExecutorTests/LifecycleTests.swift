import Query
import Synchronization
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
            await cluster.driver.release(ids[0])
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
    /// Until the driver releases it (closes the connection), a leaving executor whose tasks are done
    /// keeps serving its shuffle output to a reduce on another executor; then it stops.
    @Test func leavingExecutorServesShuffleOutputUntilReleased() async throws {
        let data = ClickData(count: 900, seed: 55)
        try await withCluster(executors: 2, data: data) { cluster, ids in
            let (leaver, stayer) = (ids[0], ids[1])
            let runner = try BatchRunner(driver: cluster.driver)
            let ranges = Dictionary(uniqueKeysWithValues: (0..<data.partitions).map { ($0, 0..<data.end($0)) })
            var batch = try await runner.map(batch: 0, ranges: ranges, watermarkMs: nil, mapOn: { _ in leaver })
            let node = try #require(cluster.node(leaver))
            let leaving = Task { await node.leave() }
            #expect(await eventually { cluster.driver.events.contains("leaving \(leaver)") })

            let closing = try #require(batch.maxEventTimeMs) + 60_000
            try await runner.reduce(
                &batch, batch: 0, stateVersion: nil, watermarkMs: closing, reduceOn: { _ in stayer })
            #expect(try batch.rows.sorted() == WindowRow.expected(data.counted(ranges, watermarkMs: nil)))
            let connection = try #require(cluster.driver.connection(of: leaver))
            #expect(!connection.isClosed)

            #expect(node.runningTaskCount == 0)
            await cluster.driver.release(leaver)
            await leaving.value
            #expect(await eventually { connection.isClosed })
            #expect(node.registrationCount == 1, "a released executor does not register again")
        }
    }
}

/// What an executor tells the driver about itself.
@Suite struct RegistrationTests {
    /// Bound to a wildcard, the executor advertises the address it reaches the driver from; an
    /// explicit advertised host wins over everything.
    @Test func advertisedShuffleHost() async throws {
        let broker = try await TestBroker.start()
        let driver = try FakeDriver(brokerAddress: broker.address)
        var wildcard = testExecutorConfig(driver: driver.driverAddress, slots: 3)
        wildcard.bindHost = "0.0.0.0"
        var named = testExecutorConfig(driver: driver.driverAddress)
        named.advertiseHost = "executor-7.example"
        var ids: [String] = []
        var nodes: [ExecutorNode] = []
        for config in [wildcard, named] {
            let node = try await ExecutorNode.start(config)
            nodes.append(node)
            ids.append(try #require(await node.registered(timeoutMs: 60_000)))
        }
        let first = try #require(driver.registration(of: ids[0]))
        #expect(first.shuffleHost == "127.0.0.1" && first.shufflePort == nodes[0].shuffleAddress.port)
        #expect(first.slots == 3)
        #expect(driver.registration(of: ids[1])?.shuffleHost == "executor-7.example")
        for node in nodes { await node.stop() }
        await driver.stop()
        await broker.stop()
    }

    /// Every finished attempt's timings reach the observer, with the records it read.
    @Test func taskTimingsReachTheObserver() async throws {
        let data = ClickData(count: 300, seed: 56)
        let broker = try await TestBroker.start()
        let client = broker.client
        try await onThread { try client.createTopic("website-logs", partitions: data.partitions) }
        try await broker.produce(topic: "website-logs", values: data.values, partitions: data.partitionOfValue)
        let driver = try FakeDriver(brokerAddress: broker.address)
        let seen = Mutex<[TaskTimings]>([])
        var config = testExecutorConfig(driver: driver.driverAddress)
        config.onTaskFinished = { timings in seen.withLock { $0.append(timings) } }
        let node = try await ExecutorNode.start(config)
        let id = try #require(await node.registered(timeoutMs: 60_000))
        let task = TaskFactory().map(batch: 0, partition: 1, start: 0, end: data.end(1), watermarkMs: nil)
        _ = try await driver.launch(task, on: id).outcome.mapReport()
        let bad = TaskFactory().map(batch: 0, partition: 1, start: 2, end: 1, watermarkMs: nil)
        _ = try await driver.launch(bad, on: id)
        let timings = seen.withLock { $0 }
        #expect(timings.map(\.attemptId) == [task.attemptId, bad.attemptId])
        #expect(timings.map(\.succeeded) == [true, false])
        #expect(timings.first?.inputCount == Int(data.end(1)))
        #expect(timings.first?.label == "map task 1 of batch 0 (job pv_uv, attempt 0)")
        await node.stop()
        await driver.stop()
        await broker.stop()
    }
}
