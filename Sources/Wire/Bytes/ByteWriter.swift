/// A growable byte buffer that encodes big-endian integers, varints and Kafka-style strings.
/// `write*` appends; `set*` patches bytes already written (for lengths known only afterwards).
public struct ByteWriter: Sendable {
    /// Everything written so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer with room reserved for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Number of bytes written so far.
    @inlinable public var count: Int { bytes.count }

    /// Drops everything written, keeping the allocation.
    public mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    /// Ensures room for at least `extra` more bytes. Grows at least geometrically, because
    /// `reserveCapacity` takes exactly what it is asked for and a caller reserving per item
    /// would otherwise copy the whole buffer each time.
    public mutating func reserve(_ extra: Int) {
        let needed = bytes.count + extra
        guard needed > bytes.capacity else { return }
        bytes.reserveCapacity(max(needed, bytes.capacity * 2))
    }

    // MARK: fixed-width integers

    /// Appends `value` big-endian.
    @inline(__always)
    public mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        var bigEndian = value.bigEndian
        withUnsafeBytes(of: &bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Overwrites the bytes at `offset` with `value` big-endian; the range must already be written.
    public mutating func setInteger<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        let size = MemoryLayout<T>.size
        precondition(offset >= 0 && offset + size <= bytes.count, "setInteger outside the written bytes")
        var bigEndian = value.bigEndian
        withUnsafeBytes(of: &bigEndian) { raw in
            for index in 0..<size { bytes[offset + index] = raw[index] }
        }
    }

    /// Appends a placeholder int32 and returns its offset, for a length patched in later.
    public mutating func reserveInt32() -> Int {
        let offset = bytes.count
        writeInteger(Int32(0))
        return offset
    }

    /// Patches the int32 at `offset` with the number of bytes written after it.
    public mutating func patchLengthInt32(at offset: Int) {
        setInteger(Int32(bytes.count - offset - 4), at: offset)
    }

    /// Appends a boolean as one byte.
    public mutating func writeBool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Appends a double as its big-endian bit pattern.
    public mutating func writeDouble(_ value: Double) { writeInteger(value.bitPattern) }

    // MARK: raw bytes

    /// Appends bytes verbatim.
    public mutating func writeBytes(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Appends a slice verbatim.
    public mutating func writeBytes(_ other: ArraySlice<UInt8>) { bytes.append(contentsOf: other) }

    /// Appends raw memory verbatim.
    public mutating func writeBytes(_ other: UnsafeRawBufferPointer) { bytes.append(contentsOf: other) }

    /// Appends one byte.
    public mutating func writeByte(_ byte: UInt8) { bytes.append(byte) }

    // MARK: varints

    /// Appends an unsigned LEB128 varint (Kafka's UNSIGNED_VARINT for 32-bit values).
    public mutating func writeUVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends a zig-zag varint of a 32-bit value (Kafka's VARINT).
    public mutating func writeVarint32(_ value: Int32) {
        writeUVarint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    /// Appends a zig-zag varint of a 64-bit value (Kafka's VARLONG).
    public mutating func writeVarint64(_ value: Int64) {
        writeUVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    // MARK: strings and byte fields

    /// Appends an int16-length string (Kafka STRING); nil writes -1 (NULLABLE_STRING).
    public mutating func writeInt16String(_ text: String?) {
        guard let text else {
            writeInteger(Int16(-1))
            return
        }
        let utf8 = text.utf8
        precondition(utf8.count <= Int(Int16.max), "string longer than an int16 length allows")
        writeInteger(Int16(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Appends int32-length bytes (Kafka BYTES); nil writes -1 (NULLABLE_BYTES).
    public mutating func writeInt32Bytes(_ data: [UInt8]?) {
        guard let data else {
            writeInteger(Int32(-1))
            return
        }
        writeInteger(Int32(data.count))
        bytes.append(contentsOf: data)
    }

    /// Appends a zig-zag-varint length and the bytes; nil writes -1 (Kafka record fields).
    public mutating func writeVarintBytes(_ data: [UInt8]?) {
        guard let data else {
            writeVarint32(-1)
            return
        }
        writeVarint32(Int32(data.count))
        bytes.append(contentsOf: data)
    }

    /// Appends a zig-zag-varint length and the UTF-8 bytes; nil writes -1.
    public mutating func writeVarintString(_ text: String?) {
        guard let text else {
            writeVarint32(-1)
            return
        }
        writeVarint32(Int32(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends an unsigned-varint length plus one and the UTF-8 bytes; nil writes 0 (COMPACT_STRING).
    public mutating func writeCompactString(_ text: String?) {
        guard let text else {
            writeUVarint(0)
            return
        }
        writeUVarint(UInt64(text.utf8.count) + 1)
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends an unsigned-varint length plus one and the bytes; nil writes 0 (COMPACT_BYTES).
    public mutating func writeCompactBytes(_ data: [UInt8]?) {
        guard let data else {
            writeUVarint(0)
            return
        }
        writeUVarint(UInt64(data.count) + 1)
        bytes.append(contentsOf: data)
    }
}
