import Testing
import Wire

/// Varint and zig-zag encodings against hand-computed bytes, a real Kafka record, and overlong or cut input.
@Suite struct BytesVarintTests {
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16) ?? 0 }
    }

    static let unsignedCases: [(UInt64, String)] = [
        (0, "00"), (1, "01"), (127, "7f"), (128, "8001"), (300, "ac02"), (16_383, "ff7f"), (16_384, "808001"),
        (UInt64(UInt32.max), "ffffffff0f"), (UInt64.max, "ffffffffffffffffff01"), (1 << 63, "80808080808080808001"),
    ]

    @Test(arguments: unsignedCases) func unsignedEncoding(value: UInt64, expected: String) throws {
        var writer = ByteWriter()
        writer.writeUVarint(value)
        #expect(writer.bytes == Self.hex(expected))
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readUVarint64() == value)
        #expect(reader.isAtEnd)
        if value <= UInt64(UInt32.max) {
            var narrow = ByteReader(writer.bytes)
            #expect(try narrow.readUVarint32() == UInt32(value))
        }
    }

    static let zigZag32Cases: [(Int32, String)] = [
        (0, "00"), (-1, "01"), (1, "02"), (-2, "03"), (2, "04"), (-64, "7f"), (64, "8001"),
        (Int32.max, "feffffff0f"), (Int32.min, "ffffffff0f"),
    ]

    @Test(arguments: zigZag32Cases) func zigZag32Encoding(value: Int32, expected: String) throws {
        var writer = ByteWriter()
        writer.writeVarint32(value)
        #expect(writer.bytes == Self.hex(expected))
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readVarint32() == value)
        #expect(reader.isAtEnd)
    }

    static let zigZag64Cases: [(Int64, String)] = [
        (0, "00"), (-1, "01"), (1, "02"), (-2, "03"), (Int64(Int32.min), "ffffffff0f"),
        (Int64.max, "feffffffffffffffff01"), (Int64.min, "ffffffffffffffffff01"),
    ]

    @Test(arguments: zigZag64Cases) func zigZag64Encoding(value: Int64, expected: String) throws {
        var writer = ByteWriter()
        writer.writeVarint64(value)
        #expect(writer.bytes == Self.hex(expected))
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readVarint64() == value)
        #expect(reader.isAtEnd)
    }

    /// The example record from KAFKA-PROTOCOL.md §4, as kafka-python wrote it.
    @Test func kafkaRecordExample() throws {
        var reader = ByteReader(Self.hex("24 00 00 02 02 6b 0e 68656c6c6f2d31 02 02 68 02 78"))
        let length = try reader.readVarint32()
        #expect(length == 18)
        #expect(reader.readableBytes == Int(length))
        #expect(try reader.readInt8() == 0)
        #expect(try reader.readVarint64() == 0)
        #expect(try reader.readVarint32() == 1)
        #expect(try reader.readVarintBytes() == Array("k".utf8))
        #expect(try reader.readVarintBytes() == Array("hello-1".utf8))
        #expect(try reader.readVarint32() == 1)
        #expect(try reader.readVarintString() == "h")
        #expect(try reader.readVarintBytes() == Array("x".utf8))
        #expect(reader.isAtEnd)
    }

    /// librdkafka's tombstone: null key, null value, no headers.
    @Test func kafkaTombstoneExample() throws {
        var reader = ByteReader(Self.hex("0c 00 00 06 01 01 00"))
        #expect(try reader.readVarint32() == 6)
        #expect(try reader.readInt8() == 0)
        #expect(try reader.readVarint64() == 0)
        #expect(try reader.readVarint32() == 3)
        #expect(try reader.readVarintBytes() == nil)
        #expect(try reader.readVarintBytes() == nil)
        #expect(try reader.readVarint32() == 0)
        #expect(reader.isAtEnd)
    }

    @Test func elevenByteVarint64IsTooLong() {
        let bytes = [UInt8](repeating: 0x80, count: 10) + [0x00]
        var reader = ByteReader(bytes)
        #expect(throws: DecodeError.varintTooLong(at: 0)) { try reader.readUVarint64() }
        var signed = ByteReader(bytes)
        #expect(throws: DecodeError.varintTooLong(at: 0)) { try signed.readVarint64() }
    }

    @Test func tenthByteAboveOneIsTooLong() throws {
        for last: UInt8 in [0x02, 0x7f, 0x81, 0xff] {
            var reader = ByteReader([UInt8](repeating: 0xff, count: 9) + [last])
            #expect(throws: DecodeError.varintTooLong(at: 0), "10th byte \(last)") { try reader.readUVarint64() }
        }
        var topBit = ByteReader([UInt8](repeating: 0x80, count: 9) + [0x01])
        #expect(try topBit.readUVarint64() == 1 << 63)
    }

    @Test func sixByteVarint32IsTooLong() {
        let bytes: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x00]
        var reader = ByteReader(bytes)
        #expect(throws: DecodeError.varintTooLong(at: 0)) { try reader.readUVarint32() }
        var signed = ByteReader(bytes)
        #expect(throws: DecodeError.varintTooLong(at: 0)) { try signed.readVarint32() }
    }

    /// Five bytes fit 35 bits; a varint32 whose fifth byte sets bits above 31 does not fit.
    @Test func fiveByteVarint32Above32BitsIsTooLong() {
        var reader = ByteReader([0x7f, 0xff, 0xff, 0xff, 0xff, 0x10])
        #expect(throws: Never.self) { try reader.readUInt8() }
        #expect(throws: DecodeError.varintTooLong(at: 1)) { try reader.readUVarint32() }
    }

    @Test func truncatedVarintsAreRefused() {
        var empty = ByteReader([])
        #expect(throws: DecodeError.truncated(needed: 1, available: 0, at: 0)) { try empty.readUVarint64() }
        var cut = ByteReader([0x05, 0xff, 0xff])
        #expect(throws: Never.self) { try cut.readUInt8() }
        #expect(throws: DecodeError.truncated(needed: 3, available: 2, at: 1)) { try cut.readVarint32() }
    }

    /// A reader over part of an array must not read a varint's continuation from beyond its range.
    @Test func varintStopsAtSliceEnd() {
        var reader = ByteReader([0x80, 0x80, 0x01], range: 0..<2)
        #expect(throws: DecodeError.truncated(needed: 3, available: 2, at: 0)) { try reader.readUVarint64() }
    }

    @Test func randomVarintsRoundTrip() throws {
        let seed = BytesTestRandom.seed(0x5EED_0001)
        var random = BytesTestRandom(seed: seed)
        for round in 0..<2000 {
            let unsigned: UInt64 = random.edgy()
            let signed32: Int32 = random.edgy()
            let signed64: Int64 = random.edgy()
            var writer = ByteWriter()
            writer.writeUVarint(unsigned)
            writer.writeVarint32(signed32)
            writer.writeVarint64(signed64)
            var reader = ByteReader(writer.bytes)
            #expect(try reader.readUVarint64() == unsigned, "seed \(seed) round \(round)")
            #expect(try reader.readVarint32() == signed32, "seed \(seed) round \(round)")
            #expect(try reader.readVarint64() == signed64, "seed \(seed) round \(round)")
            #expect(reader.isAtEnd, "seed \(seed) round \(round)")
        }
    }
}
