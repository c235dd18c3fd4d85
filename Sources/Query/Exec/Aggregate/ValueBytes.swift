/// How aggregate argument values become bytes in value tables, sketches and shuffle blocks:
/// BIGINT and TIMESTAMP as 8 bytes little-endian, DOUBLE as its canonical bit pattern (so -0.0
/// and 0.0 are one value, as are all NaNs), BOOLEAN as one byte, STRING as its UTF-8 bytes.
enum ValueBytes {
    /// The byte width of every value of `type`, nil for strings.
    static func width(_ type: DataType) -> Int? {
        switch type {
        case .int64, .timestamp, .double: 8
        case .bool: 1
        case .string: nil
        }
    }

    /// Calls `body(i, bytes)` for each pair `i` whose row `rows[i]` of `column` is not NULL.
    @inline(__always)
    static func forEach(_ column: Column, rows: [Int32], _ body: (Int, UnsafeRawBufferPointer) -> Void) {
        let nulls = column.nulls
        let hasNulls = !nulls.isEmpty
        switch column.type {
        case .string:
            column.strings.bytes.withUnsafeBytes { all in
                column.strings.offsets.withUnsafeBufferPointer { offsets in
                    for pair in 0..<rows.count {
                        let row = Int(rows[pair])
                        if hasNulls && nulls[row] { continue }
                        body(pair, UnsafeRawBufferPointer(rebasing: all[offsets[row]..<offsets[row + 1]]))
                    }
                }
            }
        case .int64, .timestamp:
            column.int64s.withUnsafeBufferPointer { values in
                for pair in 0..<rows.count {
                    let row = Int(rows[pair])
                    if hasNulls && nulls[row] { continue }
                    var word = values[row].littleEndian
                    withUnsafeBytes(of: &word) { body(pair, $0) }
                }
            }
        case .double:
            column.doubles.withUnsafeBufferPointer { values in
                for pair in 0..<rows.count {
                    let row = Int(rows[pair])
                    if hasNulls && nulls[row] { continue }
                    var word = Kernels.canonicalBits(values[row]).littleEndian
                    withUnsafeBytes(of: &word) { body(pair, $0) }
                }
            }
        case .bool:
            for pair in 0..<rows.count {
                let row = Int(rows[pair])
                if hasNulls && nulls[row] { continue }
                var byte: UInt8 = column.bools[row] ? 1 : 0
                withUnsafeBytes(of: &byte) { body(pair, $0) }
            }
        }
    }

    /// The value that `bytes` (valid for `type`) encode.
    static func value(_ bytes: UnsafeRawBufferPointer, type: DataType) -> Value {
        switch type {
        case .string: return .string(String(decoding: bytes, as: UTF8.self))
        case .bool: return .bool(bytes.first == 1)
        case .int64: return .int64(Int64(littleEndian: bytes.loadUnaligned(as: Int64.self)))
        case .timestamp: return .timestamp(Int64(littleEndian: bytes.loadUnaligned(as: Int64.self)))
        case .double: return .double(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))))
        }
    }

    /// Whether `bytes` are a valid encoding of a `type` value (hostile input is checked with this).
    static func isValid(_ bytes: UnsafeRawBufferPointer, type: DataType) -> Bool {
        switch type {
        case .string: return UTF8Check.isValid(bytes)
        case .bool: return bytes.count == 1 && bytes[0] <= 1
        case .int64, .timestamp: return bytes.count == 8
        case .double:
            guard bytes.count == 8 else { return false }
            let bits = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
            return Kernels.canonicalBits(Double(bitPattern: bits)) == bits
        }
    }
}

/// UTF-8 validation for bytes that arrive from other processes.
enum UTF8Check {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // ASCII, the common case, is checked eight bytes at a time; the tail as one more word that
        // overlaps bytes already checked.
        var any: UInt64 = 0
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            any |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        if index < count {
            if count >= 8 {
                any |= bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            } else {
                while index < count {
                    any |= UInt64(bytes[index])
                    index += 1
                }
            }
        }
        if any & 0x8080_8080_8080_8080 == 0 { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
