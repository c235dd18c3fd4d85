import Query
import Synchronization

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

    static let rowSchema = Schema([Field("partition", .int64), Field("offset", .int64)])
    static let reduceSchema = Schema([Field("batch", .int64), Field("partition", .int64), Field("records", .int64)])

    func run(_ request: BatchRequest) -> BatchOutcome {
        requests.withLock { $0.append(request) }
        if let next = scripted.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return next }
        return .succeeded(Self.results(request))
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
