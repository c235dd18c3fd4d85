import Testing
import Wire

/// Hostile or broken input must come back as a precise `DecodeError`, never a trap or a huge allocation.
@Suite struct BytesMalformedTests {
    static func int16Prefixed(_ length: Int16, _ body: [UInt8]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(length)
        writer.writeBytes(body)
        return writer.bytes
    }

    static func int32Prefixed(_ length: Int32, _ body: [UInt8]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(length)
        writer.writeBytes(body)
        return writer.bytes
    }

    static func varintPrefixed(_ length: Int32, _ body: [UInt8]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeVarint32(length)
        writer.writeBytes(body)
        return writer.bytes
    }

    // MARK: lengths

    @Test(arguments: [Int16(-2), -100, Int16.min]) func negativeInt16LengthsBelowMinusOne(length: Int16) {
        var nullable = ByteReader(Self.int16Prefixed(length, [0x61]))
        #expect(throws: DecodeError.invalidLength(Int(length), at: 0)) { try nullable.readNullableInt16String() }
        var plain = ByteReader(Self.int16Prefixed(length, [0x61]))
        #expect(throws: DecodeError.invalidLength(Int(length), at: 0)) { try plain.readInt16String() }
    }

    @Test(arguments: [Int32(-2), -100, Int32.min]) func negativeInt32AndVarintLengthsBelowMinusOne(length: Int32) {
        var nullable = ByteReader(Self.int32Prefixed(length, [1]))
        #expect(throws: DecodeError.invalidLength(Int(length), at: 0)) { try nullable.readNullableInt32Bytes() }
        var plain = ByteReader(Self.int32Prefixed(length, [1]))
        #expect(throws: DecodeError.invalidLength(Int(length), at: 0)) { try plain.readInt32Bytes() }
        var varintBytes = ByteReader(Self.varintPrefixed(length, [1]))
        #expect(throws: DecodeError.invalidLength(Int(length), at: 0)) { try varintBytes.readVarintBytes() }
        var varintString = ByteReader(Self.varintPrefixed(length, [0x61]))
        #expect(throws: DecodeError.invalidLength(Int(length), at: 0)) { try varintString.readVarintString() }
    }

    @Test func minusOneIsNullOnlyWhereNullIsAllowed() throws {
        var strictString = ByteReader([0x00] + Self.int16Prefixed(-1, []))
        _ = try strictString.readUInt8()
        #expect(throws: DecodeError.invalidLength(-1, at: 1)) { try strictString.readInt16String() }
        var strictBytes = ByteReader(Self.int32Prefixed(-1, []))
        #expect(throws: DecodeError.invalidLength(-1, at: 0)) { try strictBytes.readInt32Bytes() }

        var nullableString = ByteReader(Self.int16Prefixed(-1, []))
        #expect(try nullableString.readNullableInt16String() == nil)
        var nullableBytes = ByteReader(Self.int32Prefixed(-1, []))
        #expect(try nullableBytes.readNullableInt32Bytes() == nil)
        var compact = ByteReader([0x00, 0x00])
        #expect(try compact.readCompactString() == nil)
        #expect(try compact.readCompactBytes() == nil)
        #expect(compact.isAtEnd)
    }

    @Test func lengthsBeyondTheData() {
        var int16String = ByteReader(Self.int16Prefixed(10, [0x61, 0x62, 0x63]))
        #expect(throws: DecodeError.truncated(needed: 10, available: 3, at: 2)) { try int16String.readInt16String() }
        var int32Bytes = ByteReader(Self.int32Prefixed(Int32.max, [1, 2]))
        #expect(throws: DecodeError.truncated(needed: Int(Int32.max), available: 2, at: 4)) {
            try int32Bytes.readNullableInt32Bytes()
        }
        var varintBytes = ByteReader(Self.varintPrefixed(1000, [1, 2, 3, 4, 5]))
        #expect(throws: DecodeError.truncated(needed: 1000, available: 5, at: 2)) { try varintBytes.readVarintBytes() }
        // COMPACT length UInt32.max means UInt32.max - 1 bytes: refused before any allocation.
        var compactString = ByteReader([0xff, 0xff, 0xff, 0xff, 0x0f, 0x61])
        #expect(throws: DecodeError.truncated(needed: Int(UInt32.max) - 1, available: 1, at: 5)) {
            try compactString.readCompactString()
        }
        var compactBytes = ByteReader([0x03, 0x61])
        #expect(throws: DecodeError.truncated(needed: 2, available: 1, at: 1)) { try compactBytes.readCompactBytes() }
    }

    @Test func rawReadsRefuseNegativeAndOversizedCounts() {
        var reader = ByteReader([1, 2, 3])
        #expect(throws: DecodeError.invalidLength(-1, at: 0)) { try reader.readBytes(count: -1) }
        #expect(throws: DecodeError.invalidLength(-5, at: 0)) { try reader.skip(-5) }
        #expect(throws: DecodeError.invalidLength(Int.min, at: 0)) { try reader.readSlice(count: Int.min) }
        #expect(throws: DecodeError.truncated(needed: Int.max, available: 3, at: 0)) {
            try reader.readRange(count: Int.max)
        }
        #expect(throws: DecodeError.truncated(needed: 4, available: 3, at: 0)) { try reader.readUInt32() }
        #expect(reader.readerIndex == 0)
        #expect(reader.readRemainingBytes() == [1, 2, 3])
        #expect(reader.readRemainingBytes() == [])
    }

    // MARK: UTF-8

    static let invalidUTF8: [(String, [UInt8])] = [
        ("lone continuation byte", [0x80]),
        ("continuation after ASCII", [0x61, 0xbf]),
        ("overlong slash, 2 bytes", [0xc0, 0xaf]),
        ("overlong NUL, 2 bytes", [0xc0, 0x80]),
        ("overlong slash, 3 bytes", [0xe0, 0x80, 0xaf]),
        ("overlong slash, 4 bytes", [0xf0, 0x80, 0x80, 0xaf]),
        ("high surrogate U+D800", [0xed, 0xa0, 0x80]),
        ("low surrogate U+DFFF", [0xed, 0xbf, 0xbf]),
        ("CESU-8 surrogate pair", [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]),
        ("above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]),
        ("byte 0xff", [0xff]),
        ("lead byte without continuation", [0xe2, 0x82]),
        ("lead byte followed by ASCII", [0xc3, 0x41]),
    ]

    @Test(arguments: invalidUTF8) func invalidUTF8IsRefusedByEveryStringReader(name: String, body: [UInt8]) {
        var int16 = ByteReader(Self.int16Prefixed(Int16(body.count), body))
        #expect(throws: DecodeError.invalidUTF8(at: 2), "\(name)") { try int16.readNullableInt16String() }
        var varint = ByteReader(Self.varintPrefixed(Int32(body.count), body))
        #expect(throws: DecodeError.invalidUTF8(at: 1), "\(name)") { try varint.readVarintString() }
        var compact = ByteReader([UInt8(body.count + 1)] + body)
        #expect(throws: DecodeError.invalidUTF8(at: 1), "\(name)") { try compact.readCompactString() }
        var raw = ByteReader([0x61] + body)
        _ = try? raw.readUInt8()
        #expect(throws: DecodeError.invalidUTF8(at: 1), "\(name)") { try raw.readUTF8(count: body.count) }
    }

    /// A multi-byte character cut by the field's own length is invalid even if the next byte would complete it.
    @Test func characterSplitByTheFieldLengthIsInvalid() throws {
        var reader = ByteReader(Self.int16Prefixed(2, [0xe2, 0x82, 0xac]))
        #expect(throws: DecodeError.invalidUTF8(at: 2)) { try reader.readInt16String() }
        var whole = ByteReader(Self.int16Prefixed(3, [0xe2, 0x82, 0xac]))
        #expect(try whole.readInt16String() == "€")
    }

    @Test func validEdgeScalarsAreAccepted() throws {
        let text = "\u{0}\u{7f}\u{80}\u{7ff}\u{800}\u{d7ff}\u{e000}\u{fffd}\u{ffff}\u{10000}\u{10ffff}"
        var writer = ByteWriter()
        writer.writeInt16String(text)
        var reader = ByteReader(writer.bytes)
        #expect(Array(try reader.readInt16String().utf8) == Array(text.utf8))
    }

    // MARK: array counts

    @Test func hostileArrayCountsAreRefused() throws {
        var huge = ByteReader(Self.int32Prefixed(Int32.max, [0, 0, 0, 0]))
        #expect(throws: DecodeError.lengthTooLarge(Int(Int32.max), limit: 4, at: 0)) { try huge.readArrayCount() }
        var wide = ByteReader(Self.int32Prefixed(3, [UInt8](repeating: 0, count: 8)))
        #expect(throws: DecodeError.lengthTooLarge(3, limit: 2, at: 0)) { try wide.readArrayCount(minElementBytes: 4) }
        var negative = ByteReader(Self.int32Prefixed(-2, []))
        #expect(throws: DecodeError.invalidLength(-2, at: 0)) { try negative.readArrayCount() }
        var lowest = ByteReader(Self.int32Prefixed(Int32.min, []))
        #expect(throws: DecodeError.invalidLength(Int(Int32.min), at: 0)) { try lowest.readArrayCount() }
    }

    @Test func plausibleArrayCountsAreAccepted() throws {
        var exact = ByteReader(Self.int32Prefixed(2, [UInt8](repeating: 0, count: 8)))
        #expect(try exact.readArrayCount(minElementBytes: 4) == 2)
        var null = ByteReader(Self.int32Prefixed(-1, []))
        #expect(try null.readArrayCount() == nil)
        var empty = ByteReader(Self.int32Prefixed(0, []))
        #expect(try empty.readArrayCount(minElementBytes: 100) == 0)
        // Zero-width elements are treated as one byte each, so the count is still bounded.
        var zeroWidth = ByteReader(Self.int32Prefixed(3, [0, 0, 0]))
        #expect(try zeroWidth.readArrayCount(minElementBytes: 0) == 3)
        var zeroWidthTooMany = ByteReader(Self.int32Prefixed(4, [0, 0, 0]))
        #expect(throws: DecodeError.lengthTooLarge(4, limit: 3, at: 0)) {
            try zeroWidthTooMany.readArrayCount(minElementBytes: 0)
        }
    }

    // MARK: getInteger and slices

    @Test func getIntegerReadsWithoutMoving() throws {
        let reader = ByteReader([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08])
        #expect(try reader.getInteger(at: 1, as: UInt32.self) == 0x0102_0304)
        #expect(try reader.getInteger(at: 1, as: UInt64.self) == 0x0102_0304_0506_0708)
        #expect(try reader.getInteger(at: 8, as: UInt8.self) == 8)
        #expect(try reader.getInteger(at: 7, as: Int16.self) == 0x0708)
        #expect(reader.readerIndex == 0)
    }

    @Test(arguments: [9, 10, 100, Int.max, Int.max - 3]) func getIntegerPastTheEnd(offset: Int) {
        let reader = ByteReader([UInt8](repeating: 0, count: 12), range: 0..<12)
        #expect(throws: DecodeError.truncated(needed: 4, available: max(0, 12 - offset), at: offset)) {
            try reader.getInteger(at: offset, as: UInt32.self)
        }
    }

    /// Offsets before the cursor (or negative) are outside the reader, including the most hostile one.
    @Test(arguments: [-1, -4, Int.min, Int.min + 1]) func getIntegerBeforeTheStart(offset: Int) {
        let reader = ByteReader([UInt8](repeating: 0, count: 12))
        #expect(throws: DecodeError.truncated(needed: 4, available: 0, at: offset)) {
            try reader.getInteger(at: offset, as: UInt32.self)
        }
    }

    @Test func getIntegerStaysInsideItsRange() throws {
        var reader = ByteReader([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], range: 2..<8)
        #expect(try reader.getInteger(at: 4, as: UInt32.self) == 0x0405_0607)
        #expect(throws: DecodeError.truncated(needed: 4, available: 3, at: 5)) {
            try reader.getInteger(at: 5, as: UInt32.self)
        }
        #expect(throws: DecodeError.truncated(needed: 1, available: 0, at: 1)) {
            try reader.getInteger(at: 1, as: UInt8.self)
        }
        _ = try reader.readUInt16()
        #expect(throws: DecodeError.truncated(needed: 1, available: 0, at: 3)) {
            try reader.getInteger(at: 3, as: UInt8.self)
        }
    }

    @Test func readSliceSharesStorageAndKeepsItsBounds() throws {
        let bytes: [UInt8] = [0xaa, 0x00, 0x00, 0x00, 0x02, 0x11, 0x22, 0xbb, 0xcc]
        var reader = ByteReader(bytes)
        _ = try reader.readUInt8()
        let length = Int(try reader.readInt32())
        var slice = try reader.readSlice(count: length)
        #expect(reader.readerIndex == 7)
        #expect(slice.readerIndex == 5 && slice.endIndex == 7 && slice.readableBytes == 2)
        let shared = slice.storage.withUnsafeBufferPointer { sliceBase in
            bytes.withUnsafeBufferPointer { $0.baseAddress == sliceBase.baseAddress }
        }
        #expect(shared, "readSlice should share storage, not copy")
        #expect(slice.remainingBytes == [0x11, 0x22])
        #expect(throws: DecodeError.truncated(needed: 4, available: 2, at: 5)) { try slice.readUInt32() }
        #expect(throws: DecodeError.truncated(needed: 3, available: 2, at: 5)) { try slice.readBytes(count: 3) }
        #expect(try slice.readUInt16() == 0x1122)
        #expect(slice.isAtEnd)
        #expect(throws: DecodeError.truncated(needed: 1, available: 0, at: 7)) { try slice.readUInt8() }
        #expect(try reader.readUInt8() == 0xbb)
    }

    @Test func readRangeReturnsAbsoluteOffsets() throws {
        var reader = ByteReader([9, 9, 1, 2, 3, 4, 9], range: 2..<6)
        #expect(try reader.readRange(count: 3) == 2..<5)
        #expect(reader.readerIndex == 5)
        #expect(throws: DecodeError.truncated(needed: 2, available: 1, at: 5)) { try reader.readRange(count: 2) }
        #expect(reader.readRemainingBytes() == [4])
    }

    @Test func boolReadsAnyNonZeroAsTrue() throws {
        var reader = ByteReader([0, 1, 2, 0xff])
        #expect(try reader.readBool() == false)
        #expect(try reader.readBool() == true)
        #expect(try reader.readBool() == true)
        #expect(try reader.readBool() == true)
    }

    @Test func errorDescriptionsNameTheOffset() {
        #expect(DecodeError.truncated(needed: 4, available: 1, at: 7).description.contains("byte 7"))
        #expect(DecodeError.varintTooLong(at: 3).description.contains("byte 3"))
        #expect(DecodeError.invalidLength(-2, at: 0).description.contains("-2"))
        #expect(DecodeError.lengthTooLarge(9, limit: 2, at: 1).description.contains("limit of 2"))
        #expect(DecodeError.invalidUTF8(at: 5).description.contains("UTF-8"))
        #expect(DecodeError.invalidValue("magic 1", at: 16).description.contains("magic 1"))
    }
}
