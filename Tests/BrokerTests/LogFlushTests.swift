import Dispatch
import Synchronization
import Testing

@testable import Broker

@Suite(.dedicatedThread) struct LogFlushTests {
    @Test func alwaysFlushesBeforeAppendReturns() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(directory: directory, config: LogConfig(fsync: .always))
            _ = try log.append(smallBatch(count: 3))
            #expect(log.flushedOffset == 3)
            _ = try log.append(smallBatch(count: 2))
            #expect(log.flushedOffset == 5)
            #expect(try log.flushIfDue(nowMs: 1_000_000) == false)
        }
    }

    @Test func intervalFlushesOnlyWhenDue() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(directory: directory, config: LogConfig(fsync: .interval(ms: 100)))
            #expect(try log.flushIfDue(nowMs: 0) == false, "nothing to flush")
            _ = try log.append(smallBatch(count: 3))
            #expect(log.flushedOffset == 0)
            #expect(try log.flushIfDue(nowMs: 1000) == true, "the first flush is due at once")
            #expect(log.flushedOffset == 3)
            _ = try log.append(smallBatch(count: 2))
            #expect(try log.flushIfDue(nowMs: 1099) == false && log.flushedOffset == 3)
            #expect(try log.flushIfDue(nowMs: 1100) == true && log.flushedOffset == 5)
            #expect(try log.flushIfDue(nowMs: 5000) == false, "nothing new since")
            _ = try log.append(smallBatch(count: 1))
            try log.flush()
            #expect(log.flushedOffset == 6)
            _ = try log.append(smallBatch(count: 1))
            try log.close()
            #expect(log.flushedOffset == 7)
        }
    }

    @Test func rollingASegmentFlushesIt() throws {
        try withLogDirectory { directory in
            let batch = smallBatch(count: 2)
            let config = LogConfig(segmentBytes: batch.count * 2, fsync: .interval(ms: 60_000))
            let log = try PartitionLog(directory: directory, config: config)
            for _ in 0..<3 { _ = try log.append(batch) }
            #expect(log.segmentBaseOffsets == [0, 4] && log.flushedOffset == 4)
        }
    }

    @Test func concurrentAppendsReadsAndRetentionStayConsistent() throws {
        try withLogDirectory { directory in
            let config = LogConfig(
                segmentBytes: 4000, indexIntervalBytes: 500, retentionBytes: 40_000, fsync: .interval(ms: 1))
            let log = try PartitionLog(directory: directory, config: config)
            let writers = 3
            let batchesPerWriter = 150
            let problems = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: writers + 2) { worker in
                do {
                    if worker < writers {
                        for number in 0..<batchesPerWriter {
                            let result = try log.append(smallBatch(count: 1 + number % 4, timestampMs: Int64(worker)))
                            if result.lastOffset - result.baseOffset != Int64(number % 4) {
                                problems.withLock { $0.append("writer \(worker): bad offsets \(result)") }
                            }
                        }
                    } else {
                        try Self.readWhileWriting(log, worker: worker, problems: problems)
                    }
                } catch {
                    problems.withLock { $0.append("worker \(worker): \(error)") }
                }
            }
            #expect(problems.withLock { $0 } == [])
            let total = Int64(writers * (0..<batchesPerWriter).reduce(0) { $0 + 1 + $1 % 4 })
            #expect(log.logEndOffset == total)
            _ = try log.enforceRetention(nowMs: 0)
            var offset = log.logStartOffset
            while offset < log.logEndOffset {
                let read = try log.read(from: offset, maxBytes: 1 << 20)
                let records = try RecordBatchDecoder.records(
                    inFetched: read.records, fromOffset: offset, verifyCRC: true)
                #expect(records.first?.offset == offset)
                #expect(records.map(\.offset) == Array(offset..<(offset + Int64(records.count))))
                offset += Int64(records.count)
            }
        }
    }

    /// Reads from random offsets while writers append, checking every reply starts at the asked offset.
    private static func readWhileWriting(_ log: PartitionLog, worker: Int, problems: borrowing Mutex<[String]>) throws {
        var random = RecordsRandom(seed: UInt64(worker))
        for round in 0..<400 {
            let end = log.logEndOffset
            let start = log.logStartOffset
            guard end > start else { continue }
            let offset = Int64.random(in: start..<end, using: &random)
            do {
                let read = try log.read(from: offset, maxBytes: Int.random(in: 0...3000, using: &random))
                let batches = try RecordBatchSplitter.split(read.records)
                guard let first = batches.first, first.header.baseOffset <= offset, first.header.lastOffset >= offset
                else {
                    problems.withLock { $0.append("reader \(worker) round \(round): no batch holds \(offset)") }
                    continue
                }
            } catch LogError.offsetOutOfRange {
                // Retention moved the start past the offset between the two reads above.
            }
            if round % 50 == 0 {
                _ = try log.enforceRetention(nowMs: 0)
                _ = try log.flushIfDue(nowMs: Int64(round))
            }
        }
    }
}
