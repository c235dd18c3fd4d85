import Foundation
import Query
import Synchronization
import Testing

@testable import Executor

/// The executor's in-memory stores and its slot threads, on their own.
@Suite struct StoreTests {
    static func key(_ job: String, batch: Int64, map: Int32) -> ShuffleKey {
        ShuffleKey(jobId: job, batchId: batch, stage: 0, mapPartition: map)
    }

    @Test func shuffleStoreKeepsReplacesReleasesAndRefusesPastItsLimit() throws {
        let store = ShuffleStore(bytesMax: 100)
        try store.put(Self.key("a", batch: 1, map: 0), blocks: [[1, 2], [3]])
        try store.put(Self.key("a", batch: 2, map: 0), blocks: [[UInt8](repeating: 7, count: 40)])
        try store.put(Self.key("b", batch: 1, map: 0), blocks: [[9]])
        #expect(store.heldBytes == 44)
        #expect(store.block(Self.key("a", batch: 1, map: 0), reducePartition: 1) == [3])
        #expect(store.block(Self.key("a", batch: 1, map: 0), reducePartition: 2) == nil)
        #expect(store.block(Self.key("a", batch: 1, map: 0), reducePartition: -1) == nil)
        #expect(store.block(Self.key("a", batch: 1, map: 1), reducePartition: 0) == nil)

        // A rerun of the same map task replaces its output; the limit counts the replacement once.
        try store.put(Self.key("a", batch: 2, map: 0), blocks: [[UInt8](repeating: 8, count: 90)])
        #expect(store.heldBytes == 94)
        #expect(throws: ShuffleStoreError.full(neededBytes: 10, heldBytes: 94, limitBytes: 100)) {
            try store.put(Self.key("a", batch: 3, map: 0), blocks: [[UInt8](repeating: 0, count: 10)])
        }
        store.release(jobId: "a", throughBatch: 1)
        #expect(store.block(Self.key("a", batch: 1, map: 0), reducePartition: 0) == nil)
        #expect(store.block(Self.key("b", batch: 1, map: 0), reducePartition: 0) == [9])
        #expect(store.heldBytes == 91)
        store.removeAll()
        #expect(store.heldBytes == 0 && store.outputCount == 0)
    }

    @Test func stateCacheHandsOutOnlyTheExactVersionAndForgetsOthers() throws {
        let plan = try QueryCompiler.compile(pvUVSQL)
        let cache = StateCache(entriesMax: 2)
        let empty = try AggregationState(plan: plan, partition: 1)
        cache.put(jobId: "j", partition: 1, state: empty)
        #expect(cache.take(jobId: "j", partition: 1, version: 0) == nil, "version -1 is not version 0")
        #expect(cache.count == 0, "a mismatched entry is dropped: the task reloads and replaces it")
        cache.put(jobId: "j", partition: 1, state: empty)
        #expect(cache.take(jobId: "j", partition: 1, version: -1)?.version == -1)
        #expect(cache.take(jobId: "j", partition: 1, version: -1) == nil, "taken entries are gone")
        for partition in 0..<3 { cache.put(jobId: "j", partition: Int32(partition), state: empty) }
        #expect(cache.count == 2)
        #expect(cache.version(jobId: "j", partition: 0) == nil, "the least recently used went first")
    }

    @Test func slotPoolRunsJobsOnItsThreadsAndRefusesPastItsQueue() async throws {
        let pool = SlotPool(count: 2, queuedMax: 1, name: "test-slot")
        let gate = Mutex(false)
        let ran = Mutex<[Int]>([])
        let blocker: @Sendable (Int) -> @Sendable () -> Void = { index in
            {
                while !gate.withLock({ $0 }) { usleep(1_000) }
                ran.withLock { $0.append(index) }
            }
        }
        #expect(pool.submit(blocker(0)) && pool.submit(blocker(1)) && pool.submit(blocker(2)))
        #expect(await eventually { pool.pending == 3 })
        #expect(!pool.submit(blocker(3)), "two running and one queued fill a pool of 2 slots and 1 queued")
        gate.withLock { $0 = true }
        #expect(await eventually { ran.withLock { $0.count } == 3 })
        pool.close()
        #expect(!pool.submit(blocker(4)))
    }

    @Test func backoffDoublesUpToItsCapAndResets() {
        var backoff = Backoff(initialMs: 100, maxMs: 700)
        #expect((0..<5).map { _ in backoff.next() } == [100, 200, 400, 700, 700])
        backoff.reset()
        #expect(backoff.next() == 100)
    }
}
