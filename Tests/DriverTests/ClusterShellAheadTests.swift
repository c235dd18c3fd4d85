import Foundation
import Query
import Synchronization
import Testing
import Wire

@testable import Driver

/// A batch submitted with `after` while its predecessor reduces: the handle hears when the
/// predecessor's map stage is done, the successor's maps run at once, and its reduce tasks start
/// only once the predecessor has ended, restoring the state version it left.
@Suite struct ClusterShellAheadTests {
    @Test func theNextBatchMapsWhileThePreviousReducesAndReducesAfterIt() async throws {
        let cluster = try ClusterFixture()
        let released = Atomic<Bool>(false)
        let executor = try await FakeExecutor.start(driver: cluster.address, slots: 4, shufflePort: 7001) {
            _, description in
            // Batch 0's reduce tasks take until the test lets them go.
            if description.batchId == 0 && description.stage == 1 {
                _ = await eventually { released.load(ordering: .relaxed) }
            }
            return FakeExecutor.result(for: description)
        }
        let shell = cluster.shell
        let first = shell.submit(ClusterFixture.request(batchId: 0, ranges: [(0, 10), (0, 20)], reduces: 2))
        let maps = await offPool { first.waitForMaps() }
        let expectedMaps: [Int64] = [10, 20]
        guard case .done(let reports) = maps else { return #expect(Bool(false), "no map stage announced: \(maps)") }
        #expect(reports.map(\.inputRecords) == expectedMaps)
        #expect(first.outcome == nil)
        var next = ClusterFixture.request(batchId: 1, ranges: [(10, 15), (20, 22)], reduces: 2)
        next.after = 0
        let second = shell.submit(next)
        func received(batch: Int64, stage: Int32) -> Int {
            executor.received.withLock { $0 }.filter { $0.batchId == batch && $0.stage == stage }.count
        }
        // Both of batch 1's maps run while batch 0's reduce tasks are held; its reduces wait.
        #expect(await eventually { received(batch: 1, stage: 0) == 2 && received(batch: 0, stage: 1) == 2 })
        #expect(await eventually { if case .done = second.mapStage { true } else { false } })
        #expect(received(batch: 1, stage: 1) == 0 && first.outcome == nil)
        released.store(true, ordering: .relaxed)
        let outcomes = await offPool { (first.wait(), second.wait()) }
        guard case .succeeded(let results) = outcomes.1, case .succeeded = outcomes.0 else {
            return #expect(Bool(false), "a batch did not succeed: \(outcomes)")
        }
        #expect(results.maps.map(\.inputRecords) == [5, 2])
        let reduces = executor.received.withLock { $0 }.filter { $0.batchId == 1 && $0.stage == 1 }
        #expect(reduces.count == 2)
        for task in reduces {
            guard case .reduce(_, let version, _) = task.work else { continue }
            #expect(version == 0)
        }
        await cluster.stop()
    }

    /// With two one-slot executors, the batch planned ahead maps each source partition where the
    /// batch before mapped it (its read-ahead is there), even when the other executor frees first.
    @Test func aBatchPlannedAheadMapsEachPartitionWhereItsReadAheadIs() async throws {
        // A locality wait longer than the test: a task goes nowhere but its preferred executor.
        let cluster = try ClusterFixture(localityWaitMs: Int64(safetyNetMs))
        let releasedPorts = Mutex<Set<UInt16>>([])
        func start(_ port: UInt16) async throws -> FakeExecutor {
            try await FakeExecutor.start(driver: cluster.address, slots: 1, shufflePort: port) { _, description in
                // Batch 0's reduce tasks hold their executor until the test lets that executor go.
                if description.batchId == 0 && description.stage == 1 {
                    _ = await eventually { releasedPorts.withLock { $0.contains(port) } }
                }
                return FakeExecutor.result(for: description)
            }
        }
        let a = try await start(7001)
        let b = try await start(7002)
        let shell = cluster.shell
        let first = shell.submit(ClusterFixture.request(batchId: 0, ranges: [(0, 10), (0, 20)], reduces: 2))
        guard case .done = await offPool({ first.waitForMaps() }) else {
            return #expect(Bool(false), "batch 0's map stage was not announced")
        }
        func tasks(_ executor: FakeExecutor, batch: Int64, stage: Int32) -> [Int32] {
            executor.received.withLock { $0 }.filter { $0.batchId == batch && $0.stage == stage }.map(\.partition)
        }
        // Each executor holds one of batch 0's reduce tasks.
        #expect(await eventually { tasks(a, batch: 0, stage: 1).count == 1 && tasks(b, batch: 0, stage: 1).count == 1 })
        let mapperOfZero = tasks(a, batch: 0, stage: 0).contains(0) ? a : b
        let other = mapperOfZero === a ? b : a
        var next = ClusterFixture.request(batchId: 1, ranges: [(10, 15), (20, 22)], reduces: 2)
        next.after = 0
        let second = shell.submit(next)
        // The executor that did not map partition 0 frees first: it takes partition 1's map only.
        releasedPorts.withLock { _ = $0.insert(other === a ? 7001 : 7002) }
        #expect(await eventually { tasks(other, batch: 1, stage: 0) == [1] })
        #expect(tasks(other, batch: 1, stage: 0) == [1] && tasks(mapperOfZero, batch: 1, stage: 0).isEmpty)
        releasedPorts.withLock { _ = $0.insert(mapperOfZero === a ? 7001 : 7002) }
        #expect(await eventually { tasks(mapperOfZero, batch: 1, stage: 0) == [0] })
        let outcomes = await offPool { (first.wait(), second.wait()) }
        guard case .succeeded = outcomes.0, case .succeeded = outcomes.1 else {
            return #expect(Bool(false), "a batch did not succeed: \(outcomes)")
        }
        await cluster.stop()
    }
}
