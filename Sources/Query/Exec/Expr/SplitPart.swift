extension StringFunctions {
    /// `split_part(s, delimiter, n)` as Spark: part n counted from 1, or from the end when n is
    /// negative; past either end is the empty string; an empty delimiter does not split. Spark
    /// raises an error for n = 0; a per-row error cannot stop a stream, so Spate yields NULL there.
    static func splitPart(_ text: Column, _ delimiter: Column, _ part: Column) -> Column {
        var nulls = Column.unionNulls(text, delimiter)
        if part.hasNulls { nulls = union(nulls, part) }
        let zeroParts = part.int64s.map { $0 == 0 }
        if zeroParts.contains(true) {
            nulls = nulls.isEmpty ? zeroParts : Kernels.zipMap(nulls, zeroParts) { $0 || $1 }
        }
        var out = StringColumnStorage()
        out.reserve(rows: text.count, bytesPerRow: 8)
        text.strings.bytes.withUnsafeBufferPointer { textBytes in
            delimiter.strings.bytes.withUnsafeBufferPointer { delimiterBytes in
                for row in 0..<text.count {
                    if nulls.isEmpty || !nulls[row] {
                        let value = UnsafeBufferPointer(rebasing: textBytes[text.strings.range(at: row)])
                        let separator = UnsafeBufferPointer(rebasing: delimiterBytes[delimiter.strings.range(at: row)])
                        if let range = partRange(value, separator, part.int64s[row]) {
                            out.bytes.append(contentsOf: value[range])
                        }
                    }
                    out.offsets.append(out.bytes.count)
                }
            }
        }
        return Column.strings(out, nulls: nulls)
    }

    /// The byte range of part `part` (non-zero), or nil when there is no such part.
    static func partRange(_ text: UnsafeBufferPointer<UInt8>, _ separator: UnsafeBufferPointer<UInt8>, _ part: Int64)
        -> Range<Int>?
    {
        guard !separator.isEmpty else { return part == 1 || part == -1 ? 0..<text.count : nil }
        var starts = [0]
        var ends: [Int] = []
        var index = 0
        while index + separator.count <= text.count {
            if occurs(separator, in: text, at: index) {
                ends.append(index)
                index += separator.count
                starts.append(index)
            } else {
                index += 1
            }
        }
        ends.append(text.count)
        let count = Int64(starts.count)
        guard part <= count && part >= -count else { return nil }
        let chosen = Int(part > 0 ? part - 1 : count + part)
        return starts[chosen]..<ends[chosen]
    }

    private static func occurs(_ needle: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>, at start: Int)
        -> Bool
    {
        for offset in 0..<needle.count where text[start + offset] != needle[offset] { return false }
        return true
    }
}
