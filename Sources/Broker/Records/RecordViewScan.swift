/// The common record read without `ByteReader`'s per-byte checks: short varints (at most three
/// bytes each), no headers. Anything else, including every malformed record, returns nil, and
/// the checked decoder then reads the record (and names what is wrong with it). Reading 2M
/// 200-byte records spent about 130 ns each in the checked decoder, which a map task pays per record.
enum RecordViewScan {
    /// The record at `start` of `bytes` (which ends at `end`) and the bytes it takes, or nil.
    @inline(__always)
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, header: RecordBatchHeader)
        -> (view: RecordView, bytes: Int)?
    {
        guard let base = bytes.baseAddress, start >= 0, end <= bytes.count else { return nil }
        var cursor = start
        guard let length = varint(base, &cursor, end), length >= 1, length <= end - cursor else { return nil }
        let bodyEnd = cursor + Int(length)
        cursor += 1  // attributes
        guard let timestampDelta = varint(base, &cursor, bodyEnd), let offsetDelta = varint(base, &cursor, bodyEnd),
            let key = field(base, &cursor, bodyEnd), let value = field(base, &cursor, bodyEnd),
            let headerCount = varint(base, &cursor, bodyEnd), headerCount == 0, cursor == bodyEnd
        else { return nil }
        let timestampMs = header.isLogAppendTime ? header.maxTimestamp : header.baseTimestamp &+ timestampDelta
        let view = RecordView(
            offset: header.baseOffset &+ offsetDelta, timestampMs: timestampMs, key: key, value: value,
            headerCount: 0, headersRange: cursor..<cursor)
        return (view, bodyEnd - start)
    }

    /// A zig-zag varint of one to three bytes; nil for a longer one or one cut short.
    @inline(__always)
    private static func varint(_ base: UnsafePointer<UInt8>, _ cursor: inout Int, _ end: Int) -> Int64? {
        guard cursor < end else { return nil }
        var raw = UInt64(base[cursor])
        if raw >= 0x80 {
            guard cursor + 1 < end else { return nil }
            let second = UInt64(base[cursor + 1])
            raw = (raw & 0x7f) | (second & 0x7f) << 7
            if second >= 0x80 {
                guard cursor + 2 < end, base[cursor + 2] < 0x80 else { return nil }
                raw |= UInt64(base[cursor + 2]) << 14
                cursor += 1
            }
            cursor += 1
        }
        cursor += 1
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A varint length and where that many bytes sit: `.some(nil)` for length -1 (a null field),
    /// nil for anything irregular.
    @inline(__always)
    private static func field(_ base: UnsafePointer<UInt8>, _ cursor: inout Int, _ end: Int) -> Range<Int>?? {
        guard let length = varint(base, &cursor, end) else { return nil }
        if length == -1 { return .some(nil) }
        guard length >= 0, length <= end - cursor else { return nil }
        defer { cursor += Int(length) }
        return .some(cursor..<cursor + Int(length))
    }
}
