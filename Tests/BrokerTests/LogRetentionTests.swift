import Testing
import Wire

@testable import Broker

@Suite(.dedicatedThread) struct LogRetentionTests {
    /// A log of single-record batches, three per segment, whose timestamps are 1000, 2000, 3000, ….
    private func timedLog(_ directory: String, batches: Int, config: LogConfig) throws -> (PartitionLog, LogModel) {
        let log = try PartitionLog(directory: directory, config: config)
        var model = LogModel()
        for number in 0..<batches {
            try model.append(smallBatch(count: 1, timestampMs: Int64(number + 1) * 1000), to: log)
        }
        return (log, model)
    }

    private func segmentConfig(retentionMs: Int64? = nil, retentionBytes: Int64? = nil) -> LogConfig {
        LogConfig(
            segmentBytes: smallBatch(count: 1).count * 3, retentionMs: retentionMs, retentionBytes: retentionBytes)
    }

    @Test func retentionByTimeRemovesWholeExpiredSegments() throws {
        try withLogDirectory { directory in
            let (log, model) = try timedLog(directory, batches: 10, config: segmentConfig(retentionMs: 2500))
            #expect(log.segmentBaseOffsets == [0, 3, 6, 9])
            // Segment 0 ends at 3000 and segment 3 at 6000: at 6000 only the first is older than 2500 ms.
            #expect(
                try log.enforceRetention(nowMs: 6000) == LogRetentionResult(removedSegments: [0], logStartOffset: 3))
            #expect(!Posix.exists(segmentPath(directory, 0)) && !Posix.exists(segmentPath(directory, 0, ".index")))
            #expect(try log.enforceRetention(nowMs: 6000).removedSegments.isEmpty)
            // Far in the future every sealed segment expires, but the active one stays.
            #expect(try log.enforceRetention(nowMs: 1_000_000).removedSegments == [3, 6])
            #expect(log.logStartOffset == 9 && log.logEndOffset == 10 && log.segmentBaseOffsets == [9])
            #expect(try log.read(from: 9, maxBytes: 1).records == model.batches[9].bytes)
            #expect(throws: LogError.offsetOutOfRange(offset: 8, logStartOffset: 9, logEndOffset: 10)) {
                try log.read(from: 8, maxBytes: 1)
            }
            // The advanced start survives a reopen.
            try log.close()
            #expect(try PartitionLog(directory: directory, config: segmentConfig()).logStartOffset == 9)
        }
    }

    @Test func retentionBySizeKeepsAtLeastTheLimit() throws {
        try withLogDirectory { directory in
            let batchBytes = Int64(smallBatch(count: 1).count)
            let config = segmentConfig(retentionBytes: batchBytes * 5)
            let (log, _) = try timedLog(directory, batches: 10, config: config)
            #expect(log.sizeBytes == batchBytes * 10)
            // Dropping segment 0 leaves 7 batches (≥ 5); dropping segment 3 too would leave 4 (< 5).
            let result = try log.enforceRetention(nowMs: 0)
            #expect(result == LogRetentionResult(removedSegments: [0], logStartOffset: 3))
            #expect(log.sizeBytes == batchBytes * 7)
        }
    }

    @Test func noRetentionKeepsEverything() throws {
        try withLogDirectory { directory in
            let (log, _) = try timedLog(directory, batches: 10, config: segmentConfig())
            #expect(try log.enforceRetention(nowMs: Int64.max).removedSegments.isEmpty)
            #expect(try log.enforceRetention(nowMs: Int64.min).removedSegments.isEmpty)
        }
    }

    @Test func offsetForTimestampFindsTheFirstBatchReachingIt() throws {
        try withLogDirectory { directory in
            var config = segmentConfig(retentionMs: 1000)
            config.indexIntervalBytes = 1
            let (log, model) = try timedLog(directory, batches: 10, config: config)
            for target in stride(from: Int64(0), through: 10_500, by: 250) {
                let expected = model.batches.first { $0.maxTimestampMs >= target }
                let found = try log.offset(forTimestamp: target)
                #expect(found?.offset == expected?.baseOffset, "timestamp \(target)")
                #expect(found?.timestampMs == expected?.maxTimestampMs, "timestamp \(target)")
            }
            #expect(
                try log.offset(forTimestamp: PartitionLog.earliestTimestamp)
                    == LogOffsetLookup(offset: 0, timestampMs: -1))
            #expect(
                try log.offset(forTimestamp: PartitionLog.latestTimestamp)
                    == LogOffsetLookup(offset: 10, timestampMs: -1))
            #expect(try log.offset(forTimestamp: -3) == nil)
            _ = try log.enforceRetention(nowMs: 1_000_000)
            #expect(try log.offset(forTimestamp: PartitionLog.earliestTimestamp)?.offset == 9)
            #expect(try log.offset(forTimestamp: 0)?.offset == 9)
        }
    }

    @Test func offsetForTimestampWithTimestampsOutOfOrder() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(
                directory: directory, config: LogConfig(segmentBytes: 700, indexIntervalBytes: 1))
            var model = LogModel()
            var random = RecordsRandom(seed: RecordsRandom.seed(0x10C_0004))
            for _ in 0..<40 {
                try model.append(
                    smallBatch(count: 2, timestampMs: Int64.random(in: 0...10_000, using: &random)), to: log)
            }
            try log.close()
            let reopened = try PartitionLog(
                directory: directory, config: LogConfig(segmentBytes: 700, indexIntervalBytes: 1))
            for target in stride(from: Int64(0), through: 10_100, by: 97) {
                let expected = model.batches.first { $0.maxTimestampMs >= target }?.baseOffset
                #expect(try reopened.offset(forTimestamp: target)?.offset == expected, "timestamp \(target)")
            }
        }
    }
}
