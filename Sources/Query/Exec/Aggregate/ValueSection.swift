import Wire

/// A group's distinct/top_k values as one length-prefixed section: each value as a uvarint
/// length and its bytes (then a zig-zag varint count when counted). Written and parsed here in
/// one pass over raw memory, rather than through a reader or writer call per value.
enum ValueSection {
    /// The section's size for `entries` of `table`.
    static func size(_ entries: [Int32], of table: SlotValueTable) -> Int {
        var total = 0
        for entry in entries {
            let length = table.length(of: entry)
            total += uvarintSize(UInt64(length)) + length
            if table.counted { total += uvarintSize(zigZag(table.count(of: entry))) }
        }
        return total
    }

    /// Writes `entries` of `table` (their number first, then the section's byte size and the section).
    static func write(_ entries: [Int32], of table: SlotValueTable, into writer: inout ByteWriter) {
        let size = size(entries, of: table)
        writer.writeUVarint(UInt64(entries.count))
        writer.writeUVarint(UInt64(size))
        // Slack past the end lets inline values go out as two whole words instead of a copy call each.
        let slackBytes = SlotValueTable.inlineBytesMax
        let section = [UInt8](unsafeUninitializedCapacity: size + slackBytes) { out, initialized in
            guard let base = out.baseAddress else { return }
            var at = 0
            for entry in entries {
                at = putUVarint(UInt64(table.length(of: entry)), into: out, at: at)
                at += table.copyBytes(of: entry, to: UnsafeMutableRawPointer(base + at))
                if table.counted { at = putUVarint(zigZag(table.count(of: entry)), into: out, at: at) }
            }
            precondition(at == size, "a value section's size was miscounted")
            initialized = size
        }
        writer.writeBytes(section)
    }

    /// Each value of a section: its range in `reader.storage` and its count (1 when not `counted`).
    /// The section's framing is checked; the values' contents are the caller's to check.
    static func read(
        _ reader: inout ByteReader, counted: Bool, _ body: (Range<Int>, Int64) -> DecodeError?
    ) throws(DecodeError) {
        let countAt = reader.readerIndex
        let count = try reader.readUVarint64()
        let sizeAt = reader.readerIndex
        let size = try reader.readUVarint64()
        guard size <= UInt64(reader.readableBytes) else {
            throw .truncated(needed: Int(clamping: size), available: reader.readableBytes, at: sizeAt)
        }
        // Each value takes at least its one-byte length, so a larger count is a lie.
        guard count <= size else { throw .lengthTooLarge(Int(clamping: count), limit: Int(size), at: countAt) }
        let section = try reader.readRange(count: Int(size))
        let failure = reader.storage.withUnsafeBytes { all -> DecodeError? in
            var at = section.lowerBound
            for _ in 0..<Int(count) {
                let valueAt = at
                guard let length = takeUVarint(all, at: &at, end: section.upperBound),
                    length <= UInt64(section.upperBound - at)
                else { return .invalidValue("a value runs past its section", at: valueAt) }
                let range = at..<at + Int(length)
                at = range.upperBound
                var occurrences: Int64 = 1
                if counted {
                    guard let raw = takeUVarint(all, at: &at, end: section.upperBound) else {
                        return .invalidValue("a count runs past its section", at: range.upperBound)
                    }
                    occurrences = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
                    guard occurrences >= 0 else {
                        return .invalidValue("negative count \(occurrences)", at: range.upperBound)
                    }
                }
                if let error = body(range, occurrences) { return error }
            }
            return at == section.upperBound
                ? nil : .invalidValue("\(section.upperBound - at) bytes after a section's values", at: at)
        }
        if let failure { throw failure }
    }

    @inline(__always)
    static func zigZag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    @inline(__always)
    static func uvarintSize(_ value: UInt64) -> Int {
        var size = 1
        var rest = value >> 7
        while rest != 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    @inline(__always)
    private static func putUVarint(_ value: UInt64, into out: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var at = start
        var rest = value
        while rest >= 0x80 {
            out[at] = UInt8(truncatingIfNeeded: rest) | 0x80
            rest >>= 7
            at += 1
        }
        out[at] = UInt8(rest)
        return at + 1
    }

    /// A uvarint at `at` (advanced past it), or nil when it is truncated or longer than 10 bytes.
    @inline(__always)
    private static func takeUVarint(_ all: UnsafeRawBufferPointer, at: inout Int, end: Int) -> UInt64? {
        guard at < end else { return nil }
        let first = all[at]
        if first < 0x80 {
            at += 1
            return UInt64(first)
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while at < end && shift < 70 {
            let byte = all[at]
            at += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
