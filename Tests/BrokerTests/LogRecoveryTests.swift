import Testing
import Wire

@testable import Broker

@Suite(.dedicatedThread) struct LogRecoveryTests {
    /// Appends `count` small batches and closes the log, returning the model of what it holds.
    private func filledLog(_ directory: String, count: Int, config: LogConfig = LogConfig()) throws -> LogModel {
        let log = try PartitionLog(directory: directory, config: config)
        var model = LogModel()
        for number in 0..<count {
            try model.append(smallBatch(count: 1 + number % 3, timestampMs: 1000 + Int64(number)), to: log)
        }
        try log.close()
        return model
    }

    @Test func reopeningAfterCloseKeepsEverything() throws {
        try withLogDirectory { directory in
            let config = LogConfig(segmentBytes: 600, indexIntervalBytes: 200)
            let model = try filledLog(directory, count: 30, config: config)
            let log = try PartitionLog(directory: directory, config: config)
            #expect(
                log.recovery
                    == LogRecoveryReport(
                        truncatedBytes: 0, truncationReason: nil, rebuiltIndexes: 0,
                        segmentCount: log.segmentBaseOffsets.count))
            #expect(log.logEndOffset == model.endOffset && log.logStartOffset == 0)
            for offset in 0..<model.endOffset {
                let index = try #require(model.batchIndex(containing: offset))
                #expect(try log.read(from: offset, maxBytes: 1).records == model.batches[index].bytes)
            }
            // Appends continue from the recovered end.
            var more = model
            try more.append(smallBatch(), to: log)
            #expect(log.logEndOffset == model.endOffset + 3)
        }
    }

    @Test func aTornTailIsCutAtEveryByteOfTheLastBatch() throws {
        try withLogDirectory { directory in
            let model = try filledLog(directory, count: 4)
            let path = segmentPath(directory, 0)
            let last = try #require(model.batches.last)
            let validBytes = Int64(model.batches.dropLast().reduce(0) { $0 + $1.bytes.count })
            for length in validBytes..<(validBytes + Int64(last.bytes.count)) {
                try truncateFile(path, to: length)
                let log = try PartitionLog(directory: directory)
                #expect(log.logEndOffset == last.baseOffset, "cut at \(length)")
                #expect(log.recovery.truncatedBytes == length - validBytes, "cut at \(length)")
                #expect(try fileBytes(path) == validBytes)
                try log.close()
                // Put the whole batch back for the next cut.
                try writeFile(path, last.bytes, at: validBytes)
            }
            #expect(try PartitionLog(directory: directory).logEndOffset == model.endOffset)
        }
    }

    @Test func garbageAfterTheLastBatchIsCut() throws {
        let seed = RecordsRandom.seed(0x10C_0002)
        var random = RecordsRandom(seed: seed)
        try withLogDirectory { directory in
            let model = try filledLog(directory, count: 5)
            let path = segmentPath(directory, 0)
            let validBytes = try fileBytes(path)
            for round in 0..<50 {
                let garbage = random.bytes(Int.random(in: 1...300, using: &random))
                try writeFile(path, garbage, at: validBytes)
                let log = try PartitionLog(directory: directory)
                #expect(log.logEndOffset == model.endOffset, "round \(round), seed \(seed)")
                #expect(log.recovery.truncatedBytes == Int64(garbage.count), "round \(round), seed \(seed)")
                try log.close()
            }
        }
    }

    @Test func aFlippedByteInTheLastBatchFailsItsCRC() throws {
        try withLogDirectory { directory in
            let model = try filledLog(directory, count: 3)
            let path = segmentPath(directory, 0)
            let last = try #require(model.batches.last)
            let lastStart = try fileBytes(path) - Int64(last.bytes.count)
            try writeFile(path, [last.bytes[last.bytes.count - 2] ^ 0x10], at: lastStart + Int64(last.bytes.count - 2))
            let log = try PartitionLog(directory: directory)
            #expect(log.logEndOffset == last.baseOffset)
            #expect(log.recovery.truncationReason?.contains("CRC") == true)
            #expect(try log.read(from: 0, maxBytes: 1 << 20).records == model.batches.dropLast().flatMap(\.bytes))
        }
    }

    @Test func aFlippedBaseOffsetBreaksTheSequence() throws {
        // baseOffset is outside the CRC, so recovery checks that offsets continue without a jump.
        try withLogDirectory { directory in
            let model = try filledLog(directory, count: 3)
            let path = segmentPath(directory, 0)
            let last = try #require(model.batches.last)
            try writeFile(path, [0x40], at: try fileBytes(path) - Int64(last.bytes.count))
            let log = try PartitionLog(directory: directory)
            #expect(log.logEndOffset == last.baseOffset)
        }
    }

    @Test func aSegmentOfPureGarbageRecoversEmpty() throws {
        try withLogDirectory { directory in
            var random = RecordsRandom(seed: RecordsRandom.seed(0x10C_0003))
            let path = segmentPath(directory, 0)
            try random.bytes(5000).writeLogTestFile(path)
            let log = try PartitionLog(directory: directory)
            #expect(log.logEndOffset == 0 && log.recovery.truncatedBytes == 5000)
            #expect(try fileBytes(path) == 0)
            var model = LogModel()
            try model.append(smallBatch(), to: log)
            #expect(try log.read(from: 0, maxBytes: 100).records == model.batches[0].bytes)
        }
    }

    @Test func anEmptyDirectoryStartsAtOffsetZero() throws {
        try withLogDirectory { directory in
            let nested = directory + "/topic-3"
            let log = try PartitionLog(directory: nested)
            #expect(log.logStartOffset == 0 && log.logEndOffset == 0 && log.segmentBaseOffsets == [0])
            #expect(Posix.exists(segmentPath(nested, 0)))
            #expect(PartitionLog.directoryName(topic: "topic", partition: 3) == "topic-3")
        }
    }

    @Test func missingOrDamagedSealedIndexesAreRebuilt() throws {
        try withLogDirectory { directory in
            let config = LogConfig(segmentBytes: 400, indexIntervalBytes: 100)
            let model = try filledLog(directory, count: 20, config: config)
            let bases = try PartitionLog(directory: directory, config: config).segmentBaseOffsets
            try #require(bases.count >= 5)
            try Posix.unlink(segmentPath(directory, bases[0], ".index"))
            try writeFile(segmentPath(directory, bases[1], ".timeindex"), [0xFF], at: 0)
            // An entry pointing inside a batch does not survive the tail check.
            let indexPath = segmentPath(directory, bases[2], ".index")
            var index = try Posix.readFile(indexPath)
            #expect(index.count > 8)
            index[index.count - 1] &+= 1
            try index.writeLogTestFile(indexPath)
            // A header-only index is merely sparse: valid, and kept.
            try truncateFile(segmentPath(directory, bases[3], ".index"), to: 8)
            let log = try PartitionLog(directory: directory, config: config)
            #expect(log.recovery.rebuiltIndexes == 3)
            for offset in 0..<model.endOffset {
                let index = try #require(model.batchIndex(containing: offset))
                #expect(try log.read(from: offset, maxBytes: 1).records == model.batches[index].bytes)
            }
            // The rebuilt files are trusted on the next open.
            try log.close()
            #expect(try PartitionLog(directory: directory, config: config).recovery.rebuiltIndexes == 0)
        }
    }

    @Test func leftoverIndexFilesAreRemoved() throws {
        try withLogDirectory { directory in
            _ = try filledLog(directory, count: 2)
            try [1, 2].writeLogTestFile(segmentPath(directory, 99, ".index"))
            try [1, 2].writeLogTestFile(segmentPath(directory, 0, ".index.tmp"))
            let log = try PartitionLog(directory: directory)
            #expect(!Posix.exists(segmentPath(directory, 99, ".index")))
            #expect(!Posix.exists(segmentPath(directory, 0, ".index.tmp")))
            #expect(log.logEndOffset == 3)
        }
    }

    @Test func overlappingSegmentsAreRefused() throws {
        try withLogDirectory { directory in
            _ = try filledLog(directory, count: 3)
            try [UInt8]().writeLogTestFile(segmentPath(directory, 1))
            #expect(throws: LogError.self) { try PartitionLog(directory: directory) }
        }
    }
}

extension Array where Element == UInt8 {
    /// Writes the bytes to a file, replacing it.
    func writeLogTestFile(_ path: String) throws {
        try Posix.writeFileAtomically(path, self)
    }
}
