/// A cursor over immutable bytes that decodes big-endian integers, varints and Kafka-style
/// strings. `read*` moves the cursor, `get*` does not; nothing traps on short or hostile input.
public struct ByteReader: Sendable {
    /// The whole underlying storage; the reader only looks at `readerIndex..<endIndex`.
    public let storage: [UInt8]
    /// Offset of the next byte to read within `storage`.
    public private(set) var readerIndex: Int
    /// One past the last readable byte within `storage`.
    public let endIndex: Int

    /// A reader over all of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.storage = bytes
        self.readerIndex = 0
        self.endIndex = bytes.count
    }

    /// A reader over `range` of `bytes`, which shares their storage.
    public init(_ bytes: [UInt8], range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "reader range outside its storage")
        self.storage = bytes
        self.readerIndex = range.lowerBound
        self.endIndex = range.upperBound
    }

    /// Bytes left between the cursor and the end.
    @inlinable public var readableBytes: Int { endIndex - readerIndex }

    /// True once every byte has been read.
    @inlinable public var isAtEnd: Bool { readerIndex >= endIndex }

    @inline(__always)
    mutating func require(_ count: Int) throws(DecodeError) {
        guard count >= 0 else { throw .invalidLength(count, at: readerIndex) }
        guard endIndex - readerIndex >= count else {
            throw .truncated(needed: count, available: endIndex - readerIndex, at: readerIndex)
        }
    }

    // MARK: fixed-width integers

    /// Reads a big-endian integer of `T`'s width.
    @inline(__always)
    public mutating func readInteger<T: FixedWidthInteger>(as type: T.Type = T.self) throws(DecodeError) -> T {
        let value: T = try getInteger(at: readerIndex)
        readerIndex += MemoryLayout<T>.size
        return value
    }

    /// Reads a big-endian integer at `offset` (absolute in `storage`) without moving the cursor.
    @inline(__always)
    public func getInteger<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) throws(DecodeError) -> T {
        let size = MemoryLayout<T>.size
        guard offset >= readerIndex, offset <= endIndex - size else {
            // `endIndex - offset` would overflow for offsets near Int.min, and bytes before the cursor
            // are not this reader's to offer, so anything outside the window has nothing available.
            let available = offset >= readerIndex && offset <= endIndex ? endIndex - offset : 0
            throw .truncated(needed: size, available: available, at: offset)
        }
        let raw = storage.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        return T(bigEndian: raw)
    }

    /// Reads one signed byte.
    public mutating func readInt8() throws(DecodeError) -> Int8 { try readInteger() }
    /// Reads a big-endian Int16.
    public mutating func readInt16() throws(DecodeError) -> Int16 { try readInteger() }
    /// Reads a big-endian Int32.
    public mutating func readInt32() throws(DecodeError) -> Int32 { try readInteger() }
    /// Reads a big-endian Int64.
    public mutating func readInt64() throws(DecodeError) -> Int64 { try readInteger() }
    /// Reads one unsigned byte.
    public mutating func readUInt8() throws(DecodeError) -> UInt8 { try readInteger() }
    /// Reads a big-endian UInt16.
    public mutating func readUInt16() throws(DecodeError) -> UInt16 { try readInteger() }
    /// Reads a big-endian UInt32.
    public mutating func readUInt32() throws(DecodeError) -> UInt32 { try readInteger() }
    /// Reads a big-endian UInt64.
    public mutating func readUInt64() throws(DecodeError) -> UInt64 { try readInteger() }

    /// Reads a boolean byte; any non-zero value is true, as Kafka reads it.
    public mutating func readBool() throws(DecodeError) -> Bool { try readUInt8() != 0 }

    /// Reads an IEEE-754 double stored as its big-endian bit pattern.
    public mutating func readDouble() throws(DecodeError) -> Double { Double(bitPattern: try readUInt64()) }

    // MARK: raw bytes

    /// Copies out the next `count` bytes.
    public mutating func readBytes(count: Int) throws(DecodeError) -> [UInt8] {
        try require(count)
        let out = Array(storage[readerIndex..<readerIndex + count])
        readerIndex += count
        return out
    }

    /// Returns a reader over the next `count` bytes (sharing storage) and skips past them.
    public mutating func readSlice(count: Int) throws(DecodeError) -> ByteReader {
        try require(count)
        let sub = ByteReader(storage, range: readerIndex..<readerIndex + count)
        readerIndex += count
        return sub
    }

    /// Returns the absolute range of the next `count` bytes in `storage` and skips past them.
    public mutating func readRange(count: Int) throws(DecodeError) -> Range<Int> {
        try require(count)
        defer { readerIndex += count }
        return readerIndex..<readerIndex + count
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int) throws(DecodeError) {
        try require(count)
        readerIndex += count
    }

    /// Copies out every remaining byte.
    public mutating func readRemainingBytes() -> [UInt8] {
        let out = Array(storage[readerIndex..<endIndex])
        readerIndex = endIndex
        return out
    }

    /// The unread bytes, copied.
    public var remainingBytes: [UInt8] { Array(storage[readerIndex..<endIndex]) }

    // MARK: varints

    /// Reads an unsigned LEB128 varint of at most 5 bytes (Kafka's UNSIGNED_VARINT).
    public mutating func readUVarint32() throws(DecodeError) -> UInt32 {
        let start = readerIndex
        let value = try readUVarint64(maxBytes: 5)
        guard value <= UInt64(UInt32.max) else { throw .varintTooLong(at: start) }
        return UInt32(value)
    }

    /// Reads an unsigned LEB128 varint of at most `maxBytes` bytes (10 for 64 bits).
    public mutating func readUVarint64(maxBytes: Int = 10) throws(DecodeError) -> UInt64 {
        let start = readerIndex
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<maxBytes {
            guard readerIndex < endIndex else {
                throw .truncated(needed: index + 1, available: index, at: start)
            }
            let byte = storage[readerIndex]
            readerIndex += 1
            // The 10th byte of a 64-bit varint may only carry the top bit.
            if shift == 63 && byte > 1 { throw .varintTooLong(at: start) }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw .varintTooLong(at: start)
    }

    /// Reads a zig-zag varint of at most 5 bytes (Kafka's VARINT).
    public mutating func readVarint32() throws(DecodeError) -> Int32 {
        let raw = try readUVarint32()
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads a zig-zag varint of at most 10 bytes (Kafka's VARLONG).
    public mutating func readVarint64() throws(DecodeError) -> Int64 {
        let raw = try readUVarint64()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    // MARK: strings and byte fields

    /// Reads `count` bytes as UTF-8, refusing invalid sequences.
    public mutating func readUTF8(count: Int) throws(DecodeError) -> String {
        let start = readerIndex
        try require(count)
        let range = readerIndex..<readerIndex + count
        readerIndex += count
        return try storage.withUnsafeBufferPointer { buffer throws(DecodeError) -> String in
            let slice = UnsafeBufferPointer(rebasing: buffer[range])
            guard let text = String(validating: slice, as: UTF8.self) else { throw .invalidUTF8(at: start) }
            return text
        }
    }

    /// Reads an int16-length string (Kafka STRING); a null (-1) is refused.
    public mutating func readInt16String() throws(DecodeError) -> String {
        let at = readerIndex
        guard let text = try readNullableInt16String() else { throw .invalidLength(-1, at: at) }
        return text
    }

    /// Reads an int16-length string where -1 means null (Kafka NULLABLE_STRING).
    public mutating func readNullableInt16String() throws(DecodeError) -> String? {
        let at = readerIndex
        let length = Int(try readInt16())
        if length == -1 { return nil }
        guard length >= 0 else { throw .invalidLength(length, at: at) }
        return try readUTF8(count: length)
    }

    /// Reads int32-length bytes where -1 means null (Kafka NULLABLE_BYTES).
    public mutating func readNullableInt32Bytes() throws(DecodeError) -> [UInt8]? {
        let at = readerIndex
        let length = Int(try readInt32())
        if length == -1 { return nil }
        guard length >= 0 else { throw .invalidLength(length, at: at) }
        return try readBytes(count: length)
    }

    /// Reads int32-length bytes (Kafka BYTES); a null (-1) is refused.
    public mutating func readInt32Bytes() throws(DecodeError) -> [UInt8] {
        let at = readerIndex
        guard let bytes = try readNullableInt32Bytes() else { throw .invalidLength(-1, at: at) }
        return bytes
    }

    /// Reads a zig-zag-varint length then that many bytes; -1 means null (Kafka record fields).
    public mutating func readVarintBytes() throws(DecodeError) -> [UInt8]? {
        let at = readerIndex
        let length = Int(try readVarint32())
        if length == -1 { return nil }
        guard length >= 0 else { throw .invalidLength(length, at: at) }
        return try readBytes(count: length)
    }

    /// Reads a zig-zag-varint length then that many UTF-8 bytes; -1 means null.
    public mutating func readVarintString() throws(DecodeError) -> String? {
        let at = readerIndex
        let length = Int(try readVarint32())
        if length == -1 { return nil }
        guard length >= 0 else { throw .invalidLength(length, at: at) }
        return try readUTF8(count: length)
    }

    /// Reads an unsigned-varint length plus one, then that many UTF-8 bytes; 0 means null (COMPACT_STRING).
    public mutating func readCompactString() throws(DecodeError) -> String? {
        let lengthPlusOne = Int(try readUVarint32())
        if lengthPlusOne == 0 { return nil }
        return try readUTF8(count: lengthPlusOne - 1)
    }

    /// Reads an unsigned-varint length plus one, then that many bytes; 0 means null (COMPACT_BYTES).
    public mutating func readCompactBytes() throws(DecodeError) -> [UInt8]? {
        let lengthPlusOne = Int(try readUVarint32())
        if lengthPlusOne == 0 { return nil }
        return try readBytes(count: lengthPlusOne - 1)
    }

    /// Reads an int32 array count where -1 means null, refusing counts that could not fit the remaining
    /// bytes at `minElementBytes` each, so hostile counts never drive huge allocations.
    public mutating func readArrayCount(minElementBytes: Int = 1) throws(DecodeError) -> Int? {
        let at = readerIndex
        let count = Int(try readInt32())
        if count == -1 { return nil }
        guard count >= 0 else { throw .invalidLength(count, at: at) }
        let limit = readableBytes / max(1, minElementBytes)
        guard count <= limit else { throw .lengthTooLarge(count, limit: limit, at: at) }
        return count
    }
}
