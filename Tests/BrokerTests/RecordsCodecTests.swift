import Testing
import Wire

@testable import Broker

@Suite(.dedicatedThread) struct RecordsCodecTests {
    /// The example record of KAFKA-PROTOCOL.md §4: offset delta 1, key "k", value "hello-1", header h=x.
    static let documentedRecord = Hex.bytes("24 00 00 02 02 6b 0e 68656c6c6f2d31 02 02 68 02 78")
    /// librdkafka's null-key tombstone at offset delta 3.
    static let documentedTombstone = Hex.bytes("0c 00 00 06 01 01 00")

    @Test func builderWritesTheDocumentedRecordBytes() throws {
        var builder = RecordBatchBuilder()
        builder.append(timestampMs: 1000, key: Array("k".utf8), value: Array("hello-0".utf8))
        builder.append(
            timestampMs: 1000, key: Array("k".utf8), value: Array("hello-1".utf8), headers: [.init("h", [0x78])])
        let batch = builder.finish()
        #expect(Array(batch.suffix(Self.documentedRecord.count)) == Self.documentedRecord)

        var tombstones = RecordBatchBuilder()
        for _ in 0..<4 { tombstones.append(timestampMs: 5, key: nil, value: nil) }
        #expect(Array(tombstones.finish().suffix(7)) == Self.documentedTombstone)
    }

    @Test func decoderReadsTheDocumentedRecords() throws {
        var header = ByteWriter()
        header.writeInteger(Int64(10))
        header.writeInteger(Int32(49 + Self.documentedRecord.count + Self.documentedTombstone.count))
        header.writeInteger(Int32(0))
        header.writeInteger(Int8(2))
        header.writeInteger(UInt32(0))
        header.writeInteger(Int16(0))
        header.writeInteger(Int32(3))
        header.writeInteger(Int64(500))
        header.writeInteger(Int64(500))
        header.writeInteger(Int64(-1))
        header.writeInteger(Int16(-1))
        header.writeInteger(Int32(-1))
        header.writeInteger(Int32(2))
        let batch = header.bytes + Self.documentedRecord + Self.documentedTombstone
        let records = try RecordBatchDecoder.decodeAll(batch)
        #expect(
            records == [
                Record(
                    offset: 11, timestampMs: 500, key: Array("k".utf8), value: Array("hello-1".utf8),
                    headers: [RecordHeader("h", Array("x".utf8))]),
                Record(offset: 13, timestampMs: 500, key: nil, value: nil),
            ])
    }

    @Test func randomBatchesRoundTrip() throws {
        let seed = RecordsRandom.seed(0x5EED_0001)
        var random = RecordsRandom(seed: seed)
        for _ in 0..<200 {
            var builder = RecordBatchBuilder(producerId: 42, producerEpoch: 3, baseSequence: 17)
            var expected: [Record] = []
            let base = Int64.random(in: 0...1_000_000, using: &random)
            for index in 0..<Int.random(in: 1...20, using: &random) {
                let headers = (0..<Int.random(in: 0...3, using: &random)).map { number in
                    RecordHeader("h\(number)-é", random.optionalBytes(countMax: 8))
                }
                let record = Record(
                    offset: base + Int64(index), timestampMs: Int64.random(in: -5...5_000_000_000, using: &random),
                    key: random.optionalBytes(countMax: 40), value: random.optionalBytes(countMax: 300),
                    headers: headers)
                builder.append(timestampMs: record.timestampMs, key: record.key, value: record.value, headers: headers)
                expected.append(record)
            }
            let batch = builder.finish(baseOffset: base)
            let split = try RecordBatchSplitter.split(batch)
            #expect(split.count == 1 && split[0].range == 0..<batch.count, "seed \(seed)")
            let header = split[0].header
            #expect(header.producerId == 42 && header.producerEpoch == 3 && header.baseSequence == 17)
            #expect(header.maxTimestamp == expected.map(\.timestampMs).max(), "seed \(seed)")
            #expect(try RecordBatchDecoder.decodeAll(batch) == expected, "seed \(seed)")
        }
    }

    @Test func finishEmptiesTheBuilderForTheNextBatch() throws {
        var builder = RecordBatchBuilder()
        builder.append(timestampMs: 9, key: nil, value: [1])
        let first = builder.finish()
        #expect(builder.isEmpty && builder.sizeBytes == RecordBatchHeader.size)
        builder.append(timestampMs: 3, key: nil, value: [2])
        builder.append(timestampMs: 4, key: nil, value: [3])
        let second = try RecordBatchHeader.parse(builder.finish(baseOffset: 1))
        #expect(try RecordBatchDecoder.decodeAll(first).map(\.value) == [[1]])
        #expect(second.baseTimestamp == 3 && second.maxTimestamp == 4 && second.recordCount == 2)
    }

    @Test func compressedBatchesAreRefusedByTheDecoderOnly() throws {
        var batch = makeBatch(count: 2)
        RecordBatchHeader.store(Int16(4), in: &batch, at: RecordBatchHeader.attributesOffset)
        let crc = RecordBatchHeader.computeCRC(batch, range: 0..<batch.count)
        RecordBatchHeader.store(crc, in: &batch, at: RecordBatchHeader.crcOffset)
        // The broker passes compressed batches through untouched.
        #expect(try RecordBatchSplitter.split(batch).count == 1)
        #expect(throws: RecordBatchError.compressionUnsupported(codec: 4, at: 0)) {
            try RecordBatchDecoder.decodeAll(batch)
        }
    }

    @Test func fetchedRecordsSkipControlBatchesAndEarlierOffsets() throws {
        var control = makeBatch(count: 1, baseOffset: 3)
        RecordBatchHeader.store(Int16(0x30), in: &control, at: RecordBatchHeader.attributesOffset)
        let bytes = makeBatch(count: 3, baseOffset: 0) + control + makeBatch(count: 2, baseOffset: 4)
        let partial = Array(makeBatch(count: 2, baseOffset: 6).prefix(70))
        let records = try RecordBatchDecoder.records(inFetched: bytes + partial, fromOffset: 1)
        #expect(records.map(\.offset) == [1, 2, 4, 5])
    }

    @Test func decoderNeverTrapsOnMutatedRecords() throws {
        let seed = RecordsRandom.seed(0x5EED_0002)
        var random = RecordsRandom(seed: seed)
        let batch = makeBatch(count: 4, valueBytes: 20)
        for _ in 0..<2000 {
            var mutated = batch
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: RecordBatchHeader.size..<batch.count, using: &random)
                mutated[index] = UInt8.random(in: 0...255, using: &random)
            }
            // Either outcome is fine; the point is no trap and a typed error.
            _ = try? RecordBatchDecoder.decodeAll(mutated)
        }
        for length in RecordBatchHeader.size..<batch.count {
            var cut = Array(batch[0..<length])
            RecordBatchHeader.store(Int32(length - 12), in: &cut, at: 8)
            #expect(throws: RecordBatchError.self, "cut at \(length), seed \(seed)") {
                try RecordBatchDecoder.decodeAll(cut)
            }
        }
    }
}
