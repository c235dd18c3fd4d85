import Testing
import Wire

@testable import Broker

@Suite(.dedicatedThread) struct RecordsSplitterTests {
    @Test func splitsConcatenatedBatches() throws {
        let first = makeBatch(count: 3)
        let second = makeBatch(count: 1, baseOffset: 3)
        let batches = try RecordBatchSplitter.split(first + second)
        #expect(batches.map(\.range) == [0..<first.count, first.count..<(first.count + second.count)])
        #expect(batches.map(\.header.recordCount) == [3, 1])
    }

    @Test func refusesEveryTruncation() throws {
        let blob = makeBatch(count: 2) + makeBatch(count: 2)
        for length in 1..<blob.count where length != blob.count / 2 {
            #expect(throws: RecordBatchError.self, "cut at \(length)") {
                try RecordBatchSplitter.split(Array(blob[0..<length]))
            }
        }
        #expect(throws: RecordBatchError.noBatches) { try RecordBatchSplitter.split([]) }
    }

    @Test func mapsEachRefusalToItsKafkaError() throws {
        let batch = makeBatch(count: 2)
        var corrupted = batch
        corrupted[batch.count - 1] ^= 0xFF
        #expect(splitError(corrupted)?.kafkaErrorCode == .corruptMessage)
        if case .badCRC = splitError(corrupted) {} else { Issue.record("expected badCRC") }

        var legacy = batch
        legacy[16] = 1
        #expect(splitError(legacy) == .badMagic(1, at: 0))
        #expect(splitError(legacy)?.kafkaErrorCode == .unsupportedForMessageFormat)

        var overlong = batch
        RecordBatchHeader.store(Int32(batch.count), in: &overlong, at: 8)
        #expect(splitError(overlong) == .shortBatch(needed: batch.count + 12, available: batch.count, at: 0))

        var miscounted = batch
        RecordBatchHeader.store(Int32(5), in: &miscounted, at: 57)
        #expect(splitError(miscounted) == .recordCountMismatch(recordCount: 5, lastOffsetDelta: 1, at: 0))
        #expect(splitError(miscounted)?.kafkaErrorCode == .invalidRecord)

        #expect(splitError(batch + [0, 0, 0]) == .shortBatch(needed: 61, available: 3, at: batch.count))
        #expect(
            (try? RecordBatchSplitter.split(batch, batchBytesMax: batch.count - 1)) == nil
                && RecordBatchError.batchTooLarge(bytes: 1, limit: 0, at: 0).kafkaErrorCode == .messageTooLarge)
    }

    @Test func crcCheckCanBeSkipped() throws {
        var corrupted = makeBatch(count: 2)
        corrupted[corrupted.count - 1] ^= 0xFF
        #expect(try RecordBatchSplitter.split(corrupted, verifyCRC: false).count == 1)
    }

    @Test func fetchedSplitDropsOnlyATrailingPartialBatch() throws {
        let whole = makeBatch(count: 2) + makeBatch(count: 3, baseOffset: 2)
        let second = makeBatch(count: 1, baseOffset: 5)
        for cut in 0..<second.count {
            let batches = try RecordBatchSplitter.splitFetched(whole + Array(second[0..<cut]))
            #expect(batches.count == 2, "cut at \(cut)")
        }
        var legacyTail = second
        legacyTail[16] = 1
        #expect(throws: RecordBatchError.badMagic(1, at: whole.count)) {
            try RecordBatchSplitter.splitFetched(whole + legacyTail)
        }
    }

    @Test func randomBlobsNeverTrap() {
        let seed = RecordsRandom.seed(0x5EED_0003)
        var random = RecordsRandom(seed: seed)
        let valid = makeBatch(count: 3, valueBytes: 10)
        for round in 0..<3000 {
            var blob: [UInt8]
            if round % 2 == 0 {
                blob = random.bytes(Int.random(in: 0...200, using: &random))
            } else {
                blob = valid
                let index = Int.random(in: 0..<blob.count, using: &random)
                blob[index] = UInt8.random(in: 0...255, using: &random)
            }
            _ = try? RecordBatchSplitter.split(blob)
            _ = try? RecordBatchSplitter.splitFetched(blob, verifyCRC: true)
        }
    }

    private func splitError(_ bytes: [UInt8]) -> RecordBatchError? {
        do {
            _ = try RecordBatchSplitter.split(bytes)
            return nil
        } catch {
            return error
        }
    }
}
