import Wire

/// Group keys as bytes, so a group is found by hashing and comparing bytes, never by boxing a
/// `Value` per row. Per key: a tag byte (0 NULL, 1 a value), then the value as `ValueBytes`
/// writes it, strings with a uvarint length first. Equal keys (NULLs included, as SQL's GROUP BY
/// treats them) give equal bytes.
enum KeyCodec {
    /// Appends the key of `row` over `columns` to `out`.
    @inline(__always)
    static func encode(_ columns: [Column], row: Int, into out: inout [UInt8]) {
        for column in columns {
            if column.isNull(row) {
                out.append(0)
                continue
            }
            out.append(1)
            switch column.type {
            case .bool: out.append(column.bools[row] ? 1 : 0)
            case .int64, .timestamp: appendWord(UInt64(bitPattern: column.int64s[row]), to: &out)
            case .double: appendWord(Kernels.canonicalBits(column.doubles[row]), to: &out)
            case .string:
                let range = column.strings.range(at: row)
                appendUVarint(UInt64(range.count), to: &out)
                out.append(contentsOf: column.strings.bytes[range])
            }
        }
    }

    @inline(__always)
    private static func appendWord(_ word: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: word.littleEndian) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    private static func appendUVarint(_ value: UInt64, to out: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    /// The key values in `bytes`, or nil when they are not a valid key of `types` (hostile input).
    static func decode(_ bytes: [UInt8], types: [DataType]) -> [Value]? {
        var reader = ByteReader(bytes)
        var values: [Value] = []
        values.reserveCapacity(types.count)
        for type in types {
            guard let tag = try? reader.readUInt8(), tag <= 1 else { return nil }
            if tag == 0 {
                values.append(.null)
                continue
            }
            let length: Int
            if let width = ValueBytes.width(type) {
                length = width
            } else {
                guard let declared = try? reader.readUVarint64(), declared <= UInt64(reader.readableBytes) else {
                    return nil
                }
                length = Int(declared)
            }
            guard let range = try? reader.readRange(count: length) else { return nil }
            let value = bytes.withUnsafeBytes { all -> Value? in
                let valueBytes = UnsafeRawBufferPointer(rebasing: all[range])
                return ValueBytes.isValid(valueBytes, type: type) ? ValueBytes.value(valueBytes, type: type) : nil
            }
            guard let value else { return nil }
            values.append(value)
        }
        return reader.isAtEnd ? values : nil
    }
}
