import Foundation
import Query
import Synchronization
import Wire

@testable import Driver

/// Runs batches without executors, deterministically from their ranges: a map task emits one row
/// (partition, offset) per record of its range, dead-letters every offset ending in 9, and reports
/// event time `offset * 1000`; a reduce task emits one row (batch, partition, records of the batch)
/// with a delta [partition, batch].
final class FakeBatchRunner: BatchRunner {
    let requests = Mutex<[BatchRequest]>([])
    let releases = Mutex<[Int64]>([])
    /// Outcomes to return instead of running, first in first out.
    let scripted = Mutex<[BatchOutcome]>([])
    /// Whether an aggregation batch announces its map reports at once and ends (in batch order)
    /// only once the job loop waits for it: a reduce stage that takes a while, for the loop to
    /// plan the next batch meanwhile.
    let holdsReduce: Bool
    /// Batches that ended, in order.
    let ended = Mutex<[Int64]>([])
    /// Per batch submitted with `after`: whether that batch was still running at the time.
    let overlapped = Mutex<[Int64: Bool]>([:])

    init(holdsReduce: Bool = false) {
        self.holdsReduce = holdsReduce
    }

    static let rowSchema = Schema([Field("partition", .int64), Field("offset", .int64)])
    static let reduceSchema = Schema([Field("batch", .int64), Field("partition", .int64), Field("records", .int64)])

    func submit(_ request: BatchRequest) -> BatchHandle {
        let batchId = request.offsets.batchId
        requests.withLock { $0.append(request) }
        if let after = request.after {
            let running = !ended.withLock { $0.contains(after) }
            overlapped.withLock { $0[batchId] = running }
        }
        let handle = BatchHandle()
        if let next = scripted.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
            end(batchId, handle, next)
            return handle
        }
        let results = Self.results(request)
        guard holdsReduce, request.reducePartitions != nil else {
            end(batchId, handle, .succeeded(results))
            return handle
        }
        handle.mapsDone(results.maps)
        Thread { [self] in
            let deadline = MonotonicClock.milliseconds() + UInt64(safetyNetMs)
            while !handle.isAwaited && MonotonicClock.milliseconds() < deadline { usleep(500) }
            // As the scheduler's `after` keeps it: a batch ends only after the one it follows.
            if let after = request.after {
                while !ended.withLock({ $0.contains(after) }) && MonotonicClock.milliseconds() < deadline {
                    usleep(500)
                }
            }
            end(batchId, handle, .succeeded(results))
        }.start()
        return handle
    }

    private func end(_ batchId: Int64, _ handle: BatchHandle, _ outcome: BatchOutcome) {
        ended.withLock { $0.append(batchId) }
        handle.finish(outcome)
    }

    func cancel(jobId: String) {}

    func releaseShuffle(jobId: String, batchId: Int64) { releases.withLock { $0.append(batchId) } }

    static func results(_ request: BatchRequest) -> BatchResults {
        let stateless = request.reducePartitions == nil
        let maps = request.offsets.ranges.map { range in
            let offsets = Array(range.start..<range.end)
            let rows = RecordBatch(
                schema: rowSchema,
                columns: [
                    Column(.int64, values: offsets.map { _ in .int64(Int64(range.partition)) }),
                    Column(.int64, values: offsets.map { .int64($0) }),
                ])
            return MapTaskReport(
                inputRecords: range.count, inputBytes: range.count, lateRows: 0,
                minEventTimeMs: offsets.first.map { $0 * 1000 }, maxEventTimeMs: offsets.last.map { $0 * 1000 },
                deadLetters: offsets.filter { $0 % 10 == 9 }.map {
                    DeadLetter(
                        partition: range.partition, offset: $0, reason: .malformed("bad"), raw: Array("r\($0)".utf8))
                }, rows: stateless ? rows : nil)
        }
        let reduces = (0..<(request.reducePartitions ?? 0)).map { partition in
            ReduceTaskReport(
                rows: RecordBatch(
                    schema: reduceSchema,
                    columns: [
                        Column(.int64, values: [.int64(request.offsets.batchId)]),
                        Column(.int64, values: [.int64(Int64(partition))]),
                        Column(.int64, values: [.int64(request.offsets.recordCount)]),
                    ]),
                stateDelta: [UInt8(partition), UInt8(truncatingIfNeeded: request.offsets.batchId)],
                stateSnapshot: request.snapshotWanted ? [0xEE] : nil, stateRowsTotal: 1, stateRowsUpdated: 1,
                stateRowsEvicted: 0, stateMemoryBytes: 10)
        }
        return BatchResults(maps: maps, reduces: reduces)
    }
}
