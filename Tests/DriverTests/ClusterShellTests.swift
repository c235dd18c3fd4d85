import Foundation
import Query
import Synchronization
import Testing
import Wire

@testable import Driver

/// A cluster shell behind a live RPC server, for fake executors to join.
final class ClusterFixture: Sendable {
    let shell: ClusterShell
    let server: RPCServer
    let address: SocketAddress
    let logs = LogLines()

    init(executorTimeoutMs: Int64 = 60_000, localityWaitMs: Int64 = 50) throws {
        var options = patientOptions
        options.name = "driver"
        server = RPCServer(options: options)
        let lines = logs
        shell = ClusterShell(
            config: ClusterConfig(
                brokerAddress: "127.0.0.1:9092", executorTimeoutMs: executorTimeoutMs, localityWaitMs: localityWaitMs),
            log: { line in lines.append(line) })
        let gate = ClusterAuthGate(secret: nil) { [UInt8](repeating: 0, count: 32) }
        gate.install(on: server.handlers)
        shell.install(on: server.handlers, gate: gate)
        shell.start()
        address = try server.start(on: SocketAddress(parsing: "127.0.0.1:0"))
    }

    func stop() async {
        shell.stop()
        await server.stop()
    }

    static func request(batchId: Int64 = 0, ranges: [(Int64, Int64)], reduces: Int?, snapshot: Bool = false)
        -> BatchRequest
    {
        let entry = OffsetEntry(
            batchId: batchId, topic: "clicks",
            ranges: ranges.enumerated().map { SourceRange(partition: Int32($0), start: $1.0, end: $1.1) },
            watermarkMs: 5000, plannedAtMs: 0)
        return BatchRequest(
            jobId: "pv", jobSQL: "-- sql", offsets: entry, reducePartitions: reduces, snapshotWanted: snapshot)
    }

    func run(_ request: BatchRequest) async -> BatchOutcome {
        let shell = self.shell
        return await offPool { shell.run(request) }
    }
}

@Suite struct ClusterShellTests {
    static func results(_ outcome: BatchOutcome) -> BatchResults? {
        if case .succeeded(let results) = outcome { return results }
        Issue.record("batch did not succeed: \(outcome)")
        return nil
    }

    @Test func aWholeBatchCommitsOnFakeExecutors() async throws {
        let cluster = try ClusterFixture()
        let a = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7001)
        let b = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7002)
        #expect(a.registered.brokerAddress == "127.0.0.1:9092" && a.executorId != b.executorId)
        let outcome = await cluster.run(
            ClusterFixture.request(batchId: 4, ranges: [(0, 10), (5, 5), (3, 20)], reduces: 2, snapshot: true))
        let results = try #require(Self.results(outcome))
        #expect(results.maps.map(\.inputRecords) == [10, 0, 17])
        #expect(results.reduces.map { $0.rows.row(0) } == [[.int64(0), .int64(4)], [.int64(1), .int64(4)]])
        #expect(results.reduces.allSatisfy { $0.stateSnapshot != nil })

        let all = a.received.withLock { $0 } + b.received.withLock { $0 }
        // Every map output a reduce task was sent to fetch is on the executor that ran the map.
        var mapHosts: [Int32: UInt16] = [:]
        for executor in [a, b] {
            for task in executor.received.withLock({ $0 }) where task.stage == 0 {
                mapHosts[task.partition] = executor === a ? 7001 : 7002
            }
        }
        for task in all where task.stage == 1 {
            guard case .reduce(let outputs, let version, let snapshot) = task.work else { continue }
            #expect(version == 3 && snapshot)
            #expect(outputs.map(\.mapPartition) == [0, 1, 2])
            #expect(outputs.allSatisfy { $0.host == "127.0.0.1" && $0.port == mapHosts[$0.mapPartition] })
        }
        let maps = all.filter { $0.stage == 0 }.sorted { $0.partition < $1.partition }
        #expect(
            maps.map(\.work) == [
                .map(topic: "clicks", sourcePartition: 0, startOffset: 0, endOffset: 10),
                .map(topic: "clicks", sourcePartition: 1, startOffset: 5, endOffset: 5),
                .map(topic: "clicks", sourcePartition: 2, startOffset: 3, endOffset: 20),
            ])
        #expect(all.allSatisfy { $0.watermarkMs == 5000 && $0.jobSQL == "-- sql" && $0.batchId == 4 })
        // Every attempt succeeded, so each executor's completed tasks are the tasks it was sent.
        let completed = cluster.shell.executors.map { [$0.executorId: $0.completedTasks] }
        #expect(
            completed == [[a.executorId: a.received.withLock(\.count)], [b.executorId: b.received.withLock(\.count)]])
        await cluster.stop()
    }

    @Test func aStatelessBatchHasOneStage() async throws {
        let cluster = try ClusterFixture()
        let executor = try await FakeExecutor.start(driver: cluster.address, slots: 2, shufflePort: 7001)
        let results = try #require(
            Self.results(await cluster.run(ClusterFixture.request(ranges: [(0, 3), (0, 4)], reduces: nil))))
        #expect(results.maps.map(\.inputRecords) == [3, 4] && results.reduces.isEmpty)
        #expect(executor.received.withLock { $0 }.allSatisfy { $0.stage == 0 })
        await cluster.stop()
    }

    @Test func anExecutorKilledMidBatchHasItsTasksRerunElsewhere() async throws {
        let cluster = try ClusterFixture()
        let victim = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7001) { executor, _ in
            executor.kill()
            return nil
        }
        let survivor = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7002)
        let outcome = await cluster.run(ClusterFixture.request(ranges: [(0, 10), (0, 20)], reduces: 2))
        let results = try #require(Self.results(outcome))
        #expect(results.maps.map(\.inputRecords) == [10, 20] && results.reduces.count == 2)
        #expect(!victim.received.withLock { $0 }.isEmpty)
        #expect(cluster.shell.executors.map(\.executorId) == [survivor.executorId])
        // The reduce tasks that succeeded read map output from the survivor only.
        for task in survivor.received.withLock({ $0 }) where task.stage == 1 {
            guard case .reduce(let outputs, _, _) = task.work else { continue }
            #expect(outputs.allSatisfy { $0.executorId == survivor.executorId && $0.port == 7002 })
        }
        #expect(cluster.logs.all.contains { $0.hasPrefix("executor \(victim.executorId) lost") })
        await cluster.stop()
    }

    @Test func aFetchFailureRecomputesTheMapOutput() async throws {
        let cluster = try ClusterFixture()
        let failedOnce = Atomic<Bool>(false)
        // Whichever executor runs the first reduce attempt reports its map output unreadable.
        let failOnce: FakeExecutor.Behavior = { _, task in
            guard case .reduce(let outputs, _, _) = task.work, let first = outputs.first,
                !failedOnce.exchange(true, ordering: .relaxed)
            else { return FakeExecutor.result(for: task) }
            let failure = ShuffleFetchFailure(
                stage: 0, mapPartition: first.mapPartition, mapAttemptId: first.mapAttemptId,
                executorId: first.executorId)
            return TaskResult(attemptId: task.attemptId, outcome: .failed("fetch failed", fetchFailure: failure))
        }
        let mapper = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7001, behavior: failOnce)
        let reducer = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7002, behavior: failOnce)
        let results = try #require(
            Self.results(await cluster.run(ClusterFixture.request(ranges: [(0, 5)], reduces: 1))))
        #expect(results.maps.count == 1 && results.reduces.count == 1)
        let mapLaunches = (mapper.received.withLock { $0 } + reducer.received.withLock { $0 }).filter { $0.stage == 0 }
        #expect(mapLaunches.count == 2)
        #expect(cluster.shell.schedulerStats.fetchFailures == 1)
        await cluster.stop()
    }

    @Test func aTaskFailingFourTimesFailsTheBatch() async throws {
        let cluster = try ClusterFixture()
        _ = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7001) { _, task in
            TaskResult(attemptId: task.attemptId, outcome: .failed("disk on fire", fetchFailure: nil))
        }
        let outcome = await cluster.run(ClusterFixture.request(ranges: [(0, 5)], reduces: nil))
        guard case .failed(let reason) = outcome else {
            Issue.record("expected failure, got \(outcome)")
            return
        }
        #expect(reason.contains("failed 4 times") && reason.contains("disk on fire"))
        await cluster.stop()
    }

    @Test func reduceTasksReturnToTheExecutorThatHeldTheirState() async throws {
        let cluster = try ClusterFixture()
        let a = try await FakeExecutor.start(driver: cluster.address, slots: 2, shufflePort: 7001)
        let b = try await FakeExecutor.start(driver: cluster.address, slots: 2, shufflePort: 7002)
        func placement(_ batchId: Int64) -> [Int32: String] {
            var where_: [Int32: String] = [:]
            for executor in [a, b] {
                for task in executor.received.withLock({ $0 }) where task.stage == 1 && task.batchId == batchId {
                    where_[task.partition] = executor.executorId
                }
            }
            return where_
        }
        for batchId in Int64(0)..<4 {
            _ = try #require(
                Self.results(
                    await cluster.run(ClusterFixture.request(batchId: batchId, ranges: [(0, 1), (0, 1)], reduces: 4))))
        }
        let first = placement(0)
        #expect(first.count == 4)
        for batchId in Int64(1)..<4 { #expect(placement(batchId) == first) }
        await cluster.stop()
    }

    @Test func anExecutorThatStopsHeartbeatingIsLost() async throws {
        let cluster = try ClusterFixture(executorTimeoutMs: 200)
        let silent = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7001)
        #expect(await eventually { cluster.shell.executors.isEmpty })
        #expect(await eventually { silent.connection.isClosed })
        await cluster.stop()
    }

    @Test func heartbeatsKeepAnExecutorAndForeignOnesAreRefused() async throws {
        let cluster = try ClusterFixture()
        let a = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7001)
        let b = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7002)
        try a.heartbeat()
        // B claims to be A: its connection is cut, A stays.
        try b.connection.send(
            ClusterMessageKind.heartbeat.rawValue,
            ExecutorHeartbeat(executorId: a.executorId, runningAttemptIds: []).encoded())
        #expect(await eventually { b.connection.isClosed })
        #expect(await eventually { cluster.shell.executors.map(\.executorId) == [a.executorId] })
        await cluster.stop()
    }

    @Test func cancellingAJobEndsItsBatchAndCancelsItsAttempts() async throws {
        let cluster = try ClusterFixture()
        let hung = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7001) { _, _ in nil }
        let shell = cluster.shell
        async let outcome = cluster.run(ClusterFixture.request(ranges: [(0, 5)], reduces: nil))
        #expect(await eventually { !hung.received.withLock { $0 }.isEmpty })
        shell.cancel(jobId: "pv")
        #expect(await outcome == .cancelled)
        #expect(await eventually { hung.cancelled.withLock { $0 }.count == 1 })
        await cluster.stop()
    }

    @Test func aLeavingExecutorFinishesAndIsReleased() async throws {
        let cluster = try ClusterFixture()
        let leaver = try await FakeExecutor.start(driver: cluster.address, shufflePort: 7001)
        _ = try await leaver.connection.call(
            ClusterMessageKind.executorLeaving.rawValue, ExecutorLeaving(executorId: leaver.executorId).encoded())
        #expect(await eventually { leaver.connection.isClosed })
        #expect(cluster.shell.executors.isEmpty)
        await cluster.stop()
    }
}
