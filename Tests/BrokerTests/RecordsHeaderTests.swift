import Testing
import Wire

@testable import Broker

@Suite struct RecordsHeaderTests {
    /// The kafka-python idempotent batch header printed in KAFKA-PROTOCOL.md §4.
    static let documentedHeader = Hex.bytes(
        "0000000000000000 00000075 00000000 02 4df027f9 0000 00000003 000001a210f67127 000001a210f67128 "
            + "0000000000001092 0000 00000000 00000004")

    @Test func parsesTheDocumentedHeader() throws {
        let header = try RecordBatchHeader.parse(Self.documentedHeader)
        #expect(header.baseOffset == 0 && header.batchLength == 0x75 && header.partitionLeaderEpoch == 0)
        #expect(header.magic == 2 && header.crc == 0x4df0_27f9 && header.attributes == 0)
        #expect(header.lastOffsetDelta == 3 && header.recordCount == 4)
        #expect(header.baseTimestamp == 0x01a2_10f6_7127 && header.maxTimestamp == 0x01a2_10f6_7128)
        #expect(header.producerId == 0x1092 && header.producerEpoch == 0 && header.baseSequence == 0)
        #expect(header.totalBytes == 0x75 + 12 && header.nextOffset == 4 && header.compressionCodec == 0)
        #expect(!header.isControl && !header.isTransactional && !header.isLogAppendTime)
    }

    @Test func refusesLegacyMagicBeforeReadingLengths() {
        var legacy = Self.documentedHeader
        legacy[16] = 1
        #expect(throws: RecordBatchError.badMagic(1, at: 0)) { try RecordBatchHeader.parse(legacy) }
        #expect(RecordBatchError.badMagic(1, at: 0).kafkaErrorCode == .unsupportedForMessageFormat)
        // Only 17 bytes: enough to see a legacy magic, not enough for a v2 header.
        #expect(throws: RecordBatchError.badMagic(0, at: 0)) {
            try RecordBatchHeader.parse([UInt8](repeating: 0, count: 17))
        }
    }

    @Test func refusesShortAndUndersizedHeaders() {
        let header = Self.documentedHeader
        for length in 0..<RecordBatchHeader.size {
            #expect(throws: RecordBatchError.self) { try RecordBatchHeader.parse(Array(header[0..<length])) }
        }
        var tiny = header
        RecordBatchHeader.store(Int32(48), in: &tiny, at: 8)
        #expect(throws: RecordBatchError.badLength(48, at: 0)) { try RecordBatchHeader.parse(tiny) }
        var negative = header
        RecordBatchHeader.store(Int32(-1), in: &negative, at: 23)
        #expect(throws: RecordBatchError.badOffsetDelta(-1, at: 0)) { try RecordBatchHeader.parse(negative) }
    }

    @Test func patchingBaseOffsetAndEpochKeepsTheCRC() throws {
        var batch = makeBatch(count: 3)
        try RecordBatchHeader.verifyCRC(batch, range: 0..<batch.count)
        RecordBatchHeader.setBaseOffset(1_234_567, in: &batch, batchStart: 0)
        RecordBatchHeader.setPartitionLeaderEpoch(7, in: &batch, batchStart: 0)
        try RecordBatchHeader.verifyCRC(batch, range: 0..<batch.count)
        let header = try RecordBatchHeader.parse(batch)
        #expect(header.baseOffset == 1_234_567 && header.partitionLeaderEpoch == 7 && header.lastOffset == 1_234_569)
        #expect(try RecordBatchDecoder.decodeAll(batch).map(\.offset) == [1_234_567, 1_234_568, 1_234_569])
    }

    @Test func everyFlippedCoveredByteFailsTheCRC() throws {
        let batch = makeBatch(count: 2, valueBytes: 5)
        for index in RecordBatchHeader.attributesOffset..<batch.count {
            var flipped = batch
            flipped[index] ^= 0x40
            #expect(throws: RecordBatchError.self) { try RecordBatchHeader.verifyCRC(flipped, range: 0..<batch.count) }
        }
        var flippedCRC = batch
        flippedCRC[RecordBatchHeader.crcOffset] ^= 1
        #expect(throws: RecordBatchError.self) { try RecordBatchHeader.verifyCRC(flippedCRC, range: 0..<batch.count) }
    }
}
