import Testing
import Wire

@testable import Broker

/// The fast record scan (`RecordViewScan`) against the record format itself.
@Suite(.dedicatedThread) struct RecordsScanTests {
    /// Records around every varint-size boundary of lengths and timestamp deltas, with null and
    /// empty keys and values: the decoder's views point at exactly the bytes that were appended.
    @Test func viewsMatchWhatWasAppended() throws {
        let seed = RecordsRandom.seed(0x5CA4_0001)
        var random = RecordsRandom(seed: seed)
        let lengths = [0, 1, 63, 64, 65, 8_191, 8_192, 8_193, 70_000]
        let deltas: [Int64] = [0, 1, 63, 64, 8_191, 8_192, 1_048_575, 1_048_576, 5_000_000_000]
        for _ in 0..<60 {
            var builder = RecordBatchBuilder()
            var appended: [(timestampMs: Int64, key: [UInt8]?, value: [UInt8]?)] = []
            let base = Int64.random(in: 0...1_000_000, using: &random)
            for _ in 0..<Int.random(in: 1...12, using: &random) {
                let key =
                    Int.random(in: 0..<4, using: &random) == 0
                    ? nil : random.bytes(lengths.randomElement(using: &random)! % 100)
                let value =
                    Int.random(in: 0..<6, using: &random) == 0
                    ? nil : random.bytes(lengths.randomElement(using: &random)!)
                let timestamp = base + deltas.randomElement(using: &random)!
                builder.append(timestampMs: timestamp, key: key, value: value)
                appended.append((timestamp, key, value))
            }
            let batch = builder.finish(baseOffset: 500)
            var decoder = try RecordBatchDecoder(batch)
            var index = 0
            while let view = try decoder.nextView() {
                let want = appended[index]
                #expect(view.offset == 500 + Int64(index), "seed \(seed)")
                #expect(view.timestampMs == want.timestampMs, "seed \(seed)")
                #expect(view.key.map { Array(batch[$0]) } == want.key, "seed \(seed)")
                #expect(view.value.map { Array(batch[$0]) } == want.value, "seed \(seed)")
                #expect(view.headerCount == 0, "seed \(seed)")
                index += 1
            }
            #expect(index == appended.count, "seed \(seed)")
        }
    }

    /// Corrupted records: whenever the scan accepts one, a plain reading of the record format
    /// accepts it too and finds the same record in the same number of bytes.
    @Test func scanAcceptsOnlyWhatTheFormatAccepts() throws {
        let seed = RecordsRandom.seed(0x5CA4_0002)
        var random = RecordsRandom(seed: seed)
        var builder = RecordBatchBuilder()
        builder.append(timestampMs: 1_000, key: Array("user-1".utf8), value: random.bytes(200))
        let batch = builder.finish(baseOffset: 7)
        let header = try RecordBatchHeader.parse(batch)
        let recordStart = RecordBatchHeader.size
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = batch
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: recordStart..<min(bytes.count, recordStart + 16), using: &random)
                bytes[at] = UInt8.random(in: 0...255, using: &random)
            }
            let scanned = bytes.withUnsafeBufferPointer {
                RecordViewScan.scan($0, start: recordStart, end: bytes.count, header: header)
            }
            guard let scanned else { continue }
            accepted += 1
            let reference = try #require(try? Self.readRecord(bytes, from: recordStart, header: header), "seed \(seed)")
            #expect(reference.view == scanned.view && reference.bytes == scanned.bytes, "seed \(seed)")
        }
        #expect(accepted > 0, "some corruptions still leave a well-formed record")
    }

    /// One record read field by field as the format describes it (KAFKA-PROTOCOL.md §4).
    static func readRecord(_ bytes: [UInt8], from start: Int, header: RecordBatchHeader) throws -> (
        view: RecordView, bytes: Int
    ) {
        var reader = ByteReader(bytes, range: start..<bytes.count)
        let length = Int(try reader.readVarint32())
        guard length >= 0 else { throw DecodeError.invalidLength(length, at: start) }
        var body = try reader.readSlice(count: length)
        _ = try body.readInt8()
        let timestampDelta = try body.readVarint64()
        let offsetDelta = try body.readVarint32()
        func field() throws -> Range<Int>? {
            let size = Int(try body.readVarint32())
            if size == -1 { return nil }
            guard size >= 0 else { throw DecodeError.invalidLength(size, at: body.readerIndex) }
            return try body.readRange(count: size)
        }
        let key = try field()
        let value = try field()
        let headerCount = Int(try body.readVarint32())
        guard headerCount == 0, body.isAtEnd else { throw DecodeError.invalidValue("headers or trailing bytes", at: 0) }
        let view = RecordView(
            offset: header.baseOffset + Int64(offsetDelta), timestampMs: header.baseTimestamp + timestampDelta,
            key: key,
            value: value, headerCount: 0, headersRange: body.readerIndex..<body.readerIndex)
        return (view, reader.readerIndex - start)
    }
}
