/// coalesce, lower, upper, length, substring and split_part over whole columns.
enum StringFunctions {
    /// The first non-null argument per row.
    static func coalesce(_ sources: [Column], type: DataType) -> Column {
        guard sources.count > 1 else { return sources[0] }
        let last = Int32(sources.count - 1)
        var choice = [Int32](repeating: 0, count: sources[0].count)
        for row in choice.indices {
            var index: Int32 = 0
            while index < last && sources[Int(index)].isNull(row) { index += 1 }
            choice[row] = index
        }
        return Column.picking(type, from: sources, choice: choice)
    }

    /// lower/upper: bytes map directly when the column is ASCII, otherwise rows that are not ASCII
    /// go through Swift's full Unicode case mapping (`ß` uppercases to `SS`).
    static func changeCase(_ column: Column, upper: Bool) -> Column {
        let mapByte: (UInt8) -> UInt8
        if upper {
            mapByte = { asciiUpper($0) }
        } else {
            mapByte = { asciiLower($0) }
        }
        let bytes = column.strings.bytes
        if isASCII(bytes[...]) {
            var out = column.strings
            out.bytes = Kernels.map(bytes, mapByte)
            return Column.strings(out, nulls: column.nulls)
        }
        var out = StringColumnStorage()
        out.reserve(rows: column.count, bytesPerRow: 0)
        out.bytes.reserveCapacity(bytes.count)
        for row in 0..<column.count {
            let slice = bytes[column.strings.range(at: row)]
            if isASCII(slice) {
                out.bytes.append(contentsOf: slice.lazy.map(mapByte))
            } else {
                let text = String(decoding: slice, as: UTF8.self)
                out.bytes.append(contentsOf: (upper ? text.uppercased() : text.lowercased()).utf8)
            }
            out.offsets.append(out.bytes.count)
        }
        return Column.strings(out, nulls: column.nulls)
    }

    @inline(__always)
    static func asciiUpper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }

    @inline(__always)
    static func asciiLower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    static func isASCII(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var any: UInt8 = 0
            for byte in buffer { any |= byte }
            return any < 0x80
        }
    }

    /// Characters as Unicode scalars: UTF-8 bytes that do not continue a scalar.
    static func length(_ column: Column) -> Column {
        var values = [Int64](repeating: 0, count: column.count)
        column.strings.bytes.withUnsafeBufferPointer { bytes in
            for row in 0..<column.count {
                var scalars: Int64 = 0
                for index in column.strings.range(at: row) where bytes[index] & 0xC0 != 0x80 { scalars += 1 }
                values[row] = scalars
            }
        }
        return Column.int64s(.int64, values, nulls: column.nulls)
    }

    /// `substring(s, pos[, len])`, 1-based in scalars, with Spark's rules: pos 0 is the start, a
    /// negative pos counts from the end, and the window is clipped to the string.
    static func substring(_ text: Column, _ position: Column, _ length: Column?) -> Column {
        var nulls = Column.unionNulls(text, position)
        if let length, length.hasNulls { nulls = union(nulls, length) }
        var out = StringColumnStorage()
        out.reserve(rows: text.count, bytesPerRow: 8)
        text.strings.bytes.withUnsafeBufferPointer { bytes in
            for row in 0..<text.count {
                if nulls.isEmpty || !nulls[row] {
                    let range = text.strings.range(at: row)
                    let value = UnsafeBufferPointer(rebasing: bytes[range])
                    let window = scalarWindow(
                        scalars: scalarCount(value), position: position.int64s[row], length: length?.int64s[row])
                    if let window {
                        let start = byteOffset(ofScalar: window.lowerBound, in: value)
                        let end = byteOffset(ofScalar: window.upperBound, in: value)
                        out.bytes.append(contentsOf: value[start..<end])
                    }
                }
                out.offsets.append(out.bytes.count)
            }
        }
        return Column.strings(out, nulls: nulls)
    }

    static func union(_ nulls: [Bool], _ column: Column) -> [Bool] {
        nulls.isEmpty ? column.nulls : Kernels.zipMap(nulls, column.nullFlags) { $0 || $1 }
    }

    /// The scalar range Spark's `substringSQL` takes, or nil for an empty result.
    static func scalarWindow(scalars: Int, position: Int64, length: Int64?) -> Range<Int>? {
        let count = Int64(scalars)
        var start: Int64 = position > 0 ? position - 1 : (position < 0 ? count + position : 0)
        let end: Int64
        if let length {
            let (sum, overflow) = start.addingReportingOverflow(length)
            end = overflow ? (length > 0 ? Int64.max : Int64.min) : sum
        } else {
            end = Int64.max
        }
        start = max(start, 0)
        let clippedEnd = min(end, count)
        guard start < clippedEnd else { return nil }
        return Int(start)..<Int(clippedEnd)
    }

    static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The byte offset where scalar number `scalar` starts (the end for `scalar == count`).
    static func byteOffset(ofScalar scalar: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var seen = 0
        for index in 0..<bytes.count where bytes[index] & 0xC0 != 0x80 {
            if seen == scalar { return index }
            seen += 1
        }
        return bytes.count
    }
}
