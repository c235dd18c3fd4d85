/// A validating scanner over one JSON record (RFC 8259). It checks every byte, strings and
/// numbers included, and reports where values are without converting them. Cursors go in and
/// come back out by value, so the hot loop keeps them in registers.
struct JSONScanner {
    typealias Cursor = UnsafePointer<UInt8>

    let base: Cursor
    let end: Cursor
    /// The record's `JSONAttentionMap` bits.
    let attention: UnsafePointer<UInt64>

    /// A scanner over `record`, whose bytes `map` marks (the map is marked here).
    init(_ record: UnsafeRawBufferPointer, map: inout JSONAttentionMap) {
        // A zero-length record is refused before it gets here, so the base address exists.
        base = record.baseAddress!.assumingMemoryBound(to: UInt8.self)
        end = base + record.count
        attention = map.mark(base, count: record.count)
    }

    @inline(__always)
    func fail(_ message: StaticString, at cursor: Cursor) -> JSONSyntaxError {
        JSONSyntaxError(message: message, offset: cursor - base, isInvalidUTF8: false)
    }

    @inline(__always)
    func offset(_ cursor: Cursor) -> Int32 { Int32(truncatingIfNeeded: cursor - base) }

    /// The cursor moved past any whitespace.
    @inline(__always)
    func skipWhitespace(_ start: Cursor) -> Cursor {
        var cursor = start
        while cursor < end {
            let byte = cursor.pointee
            guard byte <= 0x20, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { break }
            cursor += 1
        }
        return cursor
    }

    /// The cursor past `byte`, which must come next (else fails with `message`).
    @inline(__always)
    func expect(_ byte: UInt8, _ message: StaticString, _ cursor: Cursor) throws(JSONSyntaxError) -> Cursor {
        guard cursor < end else { throw fail("unexpected end of input", at: cursor) }
        guard cursor.pointee == byte else { throw fail(message, at: cursor) }
        return cursor + 1
    }

    /// Scans any value at the cursor (containers are validated and skipped whole); returns the
    /// cursor after it and where it is.
    func scanValue(_ cursor: Cursor, depth: Int) throws(JSONSyntaxError) -> (Cursor, JSONToken) {
        guard cursor < end else { throw fail("unexpected end of input, expected a value", at: cursor) }
        let byte = cursor.pointee
        if byte == UInt8(ascii: "\"") {
            let (after, escaped) = try scanString(cursor + 1)
            return (
                after,
                JSONToken(kind: escaped ? .escapedString : .string, start: offset(cursor + 1), end: offset(after - 1))
            )
        }
        if byte == UInt8(ascii: "-") || ASCII.isDigit(byte) {
            var token = JSONToken(kind: .integer, start: offset(cursor), end: 0)
            let after = try scanNumber(cursor, into: &token)
            token.end = offset(after)
            return (after, token)
        }
        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
            let after = try skipContainer(cursor, depth: depth)
            return (
                after,
                JSONToken(kind: byte == UInt8(ascii: "{") ? .object : .array, start: offset(cursor), end: offset(after))
            )
        }
        let (after, kind) = try scanLiteral(cursor)
        return (after, JSONToken(kind: kind, start: offset(cursor), end: offset(after)))
    }

    /// `true`, `false` or `null` at the cursor.
    func scanLiteral(_ start: Cursor) throws(JSONSyntaxError) -> (Cursor, JSONToken.Kind) {
        let word: StaticString
        let kind: JSONToken.Kind
        switch start.pointee {
        case UInt8(ascii: "t"): (word, kind) = ("true", .trueLiteral)
        case UInt8(ascii: "f"): (word, kind) = ("false", .falseLiteral)
        case UInt8(ascii: "n"): (word, kind) = ("null", .null)
        default: throw fail("expected a value", at: start)
        }
        var cursor = start
        for index in 0..<word.utf8CodeUnitCount {
            guard cursor < end else { throw fail("unexpected end of input in a literal", at: cursor) }
            guard cursor.pointee == word.utf8Start[index] else { throw fail("invalid literal", at: cursor) }
            cursor += 1
        }
        return (cursor, kind)
    }
}
