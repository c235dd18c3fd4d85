import Testing
import Wire

@testable import Broker

@Suite(.dedicatedThread) struct LogAppendReadTests {
    @Test func appendAssignsConsecutiveOffsetsAndStoresBytesVerbatim() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(directory: directory)
            var model = LogModel()
            try model.append(smallBatch(count: 3), to: log)
            // Two batches in one produce blob get consecutive offsets with one append.
            try model.append(smallBatch(count: 2) + smallBatch(count: 5), to: log)
            #expect(log.logEndOffset == 10 && log.highWatermark == 10 && log.logStartOffset == 0)
            let read = try log.read(from: 0, maxBytes: 1 << 20)
            #expect(read.records == model.batches.flatMap(\.bytes))
            #expect(read.highWatermark == 10 && read.logStartOffset == 0)
            let offsets = try RecordBatchDecoder.records(inFetched: read.records, verifyCRC: true).map(\.offset)
            #expect(offsets == Array(0..<10))
        }
    }

    @Test func readFromEveryOffsetStartsWithTheBatchContainingIt() throws {
        try withLogDirectory { directory in
            // A tiny index interval and segment size exercise index hits, scans and segment edges.
            let config = LogConfig(segmentBytes: 1500, indexIntervalBytes: 300)
            let log = try PartitionLog(directory: directory, config: config)
            var model = LogModel()
            var random = RecordsRandom(seed: RecordsRandom.seed(0x10C_0001))
            for _ in 0..<60 {
                try model.append(smallBatch(count: Int.random(in: 1...6, using: &random)), to: log)
            }
            #expect(log.segmentBaseOffsets.count > 5)
            for offset in 0..<model.endOffset {
                let index = try #require(model.batchIndex(containing: offset))
                let read = try log.read(from: offset, maxBytes: 1)
                #expect(read.records == model.batches[index].bytes, "offset \(offset)")
            }
        }
    }

    @Test func readReturnsWholeBatchesUpToMaxBytesButAlwaysOne() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(directory: directory)
            var model = LogModel()
            for _ in 0..<5 { try model.append(smallBatch(count: 2), to: log) }
            let batchBytes = model.batches[0].bytes.count
            #expect(try log.read(from: 0, maxBytes: 0).records == model.batches[0].bytes)
            #expect(try log.read(from: 0, maxBytes: batchBytes * 2 - 1).records == model.batches[0].bytes)
            #expect(try log.read(from: 1, maxBytes: batchBytes * 2).records == model.batches[0...1].flatMap(\.bytes))
            #expect(try log.read(from: 4, maxBytes: 1 << 20).records == model.batches[2...].flatMap(\.bytes))
        }
    }

    @Test func readAtTheEndIsEmptyAndOutsideTheLogIsOutOfRange() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(directory: directory)
            #expect(try log.read(from: 0, maxBytes: 100).records.isEmpty)
            _ = try log.append(smallBatch(count: 4))
            let atEnd = try log.read(from: 4, maxBytes: 100)
            #expect(atEnd.records.isEmpty && atEnd.highWatermark == 4)
            #expect(throws: LogError.offsetOutOfRange(offset: 5, logStartOffset: 0, logEndOffset: 4)) {
                try log.read(from: 5, maxBytes: 100)
            }
            #expect(throws: LogError.self) { try log.read(from: -1, maxBytes: 100) }
            #expect(
                LogError.offsetOutOfRange(offset: 5, logStartOffset: 0, logEndOffset: 4).kafkaErrorCode
                    == .offsetOutOfRange)
        }
    }

    @Test func segmentsRollAtSegmentBytes() throws {
        try withLogDirectory { directory in
            let batch = smallBatch(count: 2)
            let log = try PartitionLog(directory: directory, config: LogConfig(segmentBytes: batch.count * 3))
            var model = LogModel()
            for _ in 0..<7 { try model.append(batch, to: log) }
            // Three batches fill a segment exactly; the fourth starts the next one.
            #expect(log.segmentBaseOffsets == [0, 6, 12])
            #expect(try fileBytes(segmentPath(directory, 0)) == Int64(batch.count * 3))
            #expect(try fileBytes(segmentPath(directory, 12)) == Int64(batch.count))
            // Sealed segments have their index files; the active one keeps its indexes in memory.
            #expect(
                Posix.exists(segmentPath(directory, 6, ".index"))
                    && Posix.exists(segmentPath(directory, 6, ".timeindex")))
            #expect(!Posix.exists(segmentPath(directory, 12, ".index")))
            // A read stops at the end of a segment; the consumer's next fetch continues from there.
            #expect(try log.read(from: 0, maxBytes: 1 << 20).records == model.batches[0..<3].flatMap(\.bytes))
            #expect(log.sizeBytes == Int64(batch.count * 7))
        }
    }

    @Test func aBatchLargerThanASegmentGetsASegmentOfItsOwn() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(directory: directory, config: LogConfig(segmentBytes: 200))
            var model = LogModel()
            try model.append(smallBatch(count: 1), to: log)
            try model.append(smallBatch(count: 10, valueBytes: 50), to: log)
            try model.append(smallBatch(count: 1), to: log)
            #expect(log.segmentBaseOffsets == [0, 1, 11])
            #expect(try log.read(from: 5, maxBytes: 10).records == model.batches[1].bytes)
        }
    }

    @Test func invalidBlobsAreRefusedWithTheirKafkaError() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(directory: directory, config: LogConfig(batchBytesMax: 500))
            var corrupt = smallBatch()
            corrupt[corrupt.count - 1] ^= 1
            #expect(appendError(log, corrupt)?.kafkaErrorCode == .corruptMessage)
            var legacy = smallBatch()
            legacy[16] = 1
            #expect(appendError(log, legacy)?.kafkaErrorCode == .unsupportedForMessageFormat)
            #expect(appendError(log, smallBatch(count: 10, valueBytes: 100))?.kafkaErrorCode == .messageTooLarge)
            #expect(appendError(log, [])?.kafkaErrorCode == .invalidRecord)
            // Nothing was written by the refused appends.
            #expect(log.logEndOffset == 0 && log.sizeBytes == 0)
        }
    }

    @Test func aClosedLogRefusesWork() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(directory: directory)
            _ = try log.append(smallBatch())
            try log.close()
            try log.close()
            #expect(throws: LogError.closed(directory: directory)) { try log.append(smallBatch()) }
            #expect(throws: LogError.closed(directory: directory)) { try log.read(from: 0, maxBytes: 1) }
            #expect(LogError.closed(directory: directory).kafkaErrorCode == .notLeaderOrFollower)
            #expect(log.logEndOffset == 3)
        }
    }

    private func appendError(_ log: PartitionLog, _ bytes: [UInt8]) -> LogError? {
        do {
            _ = try log.append(bytes)
            return nil
        } catch {
            return error
        }
    }
}
