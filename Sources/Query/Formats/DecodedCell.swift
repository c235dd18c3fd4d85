/// One converted field of a decoded row, in 16 bytes and without a tag: the column's type says
/// how to read it. Rows are kept as cells until the batch ends, then turned into typed columns
/// one column at a time (tight loops instead of a dozen array appends per row).
struct DecodedCell {
    /// The value (BIGINT, TIMESTAMP), its bit pattern (DOUBLE), 0 or 1 (BOOLEAN), or where a
    /// string's bytes start: `start` in the source buffer, or `~start` (negative) in the scratch.
    var word: Int64
    /// A string's byte count; `nullMarker` for NULL.
    var count: Int64

    static let nullMarker = Int64.min
    static let null = DecodedCell(word: 0, count: nullMarker)

    var isNull: Bool { count == Self.nullMarker }

    @inline(__always) static func int64(_ value: Int64) -> DecodedCell { DecodedCell(word: value, count: 0) }
    @inline(__always) static func double(_ value: Double) -> DecodedCell {
        DecodedCell(word: Int64(bitPattern: value.bitPattern), count: 0)
    }
    @inline(__always) static func bool(_ value: Bool) -> DecodedCell { DecodedCell(word: value ? 1 : 0, count: 0) }
    /// Bytes `start..<start + count` of the source buffer.
    @inline(__always) static func source(start: Int, count: Int) -> DecodedCell {
        DecodedCell(word: Int64(start), count: Int64(count))
    }
    /// NULL in a string column whose bytes stand at `position` (a string column reads no null's word).
    @inline(__always) static func nullString(at position: Int) -> DecodedCell {
        DecodedCell(word: Int64(position), count: nullMarker)
    }
    /// Bytes `start..<start + count` of the decoder's scratch.
    @inline(__always) static func scratch(start: Int, count: Int) -> DecodedCell {
        DecodedCell(word: ~Int64(start), count: Int64(count))
    }
}
