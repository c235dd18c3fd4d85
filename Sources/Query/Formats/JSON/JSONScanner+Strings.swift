/// Strings: the hot loop. Runs of bytes that need no look are skipped by the record's
/// `JSONAttentionMap`, the rest taken byte by byte: quotes, escapes and UTF-8 sequences.
extension JSONScanner {
    /// Scans a string's body from `start`, just past its opening quote; returns the cursor past
    /// its closing quote and whether it holds escapes.
    @inline(__always)
    func scanString(_ start: Cursor) throws(JSONSyntaxError) -> (Cursor, Bool) {
        var cursor = start
        var escaped = false
        while true {
            cursor = nextAttention(cursor)
            guard cursor < end else { throw fail("unexpected end of input in a string", at: cursor) }
            let byte = cursor.pointee
            if byte == UInt8(ascii: "\"") { return (cursor + 1, escaped) }
            if byte >= 0x80 || byte == UInt8(ascii: "\\") || byte < 0x20 {
                cursor = try scanSpecial(cursor)
                escaped = escaped || byte == UInt8(ascii: "\\")
            } else {
                cursor += 1
            }
        }
    }

    /// The first byte at or after `start` that needs a look, or `end` (the map marks every
    /// position from `end` on, so the search stops there). It reads the 64 bits from `start`
    /// across two words, so a string under 64 bytes ends in one step wherever it lies.
    @inline(__always)
    func nextAttention(_ start: Cursor) -> Cursor {
        var position = start - base
        while true {
            let index = position &>> 6
            let shift = UInt64(position & 63)
            // `<< 1 << (63 - shift)`: a shift by 64 would be none at all.
            let bits = (attention[index] &>> shift) | ((attention[index &+ 1] &<< 1) &<< (63 &- shift))
            if bits != 0 { return base + (position &+ bits.trailingZeroBitCount) }
            position &+= 64
        }
    }

    /// Moves past an escape or a UTF-8 sequence at the cursor; refuses a control character.
    func scanSpecial(_ cursor: Cursor) throws(JSONSyntaxError) -> Cursor {
        let byte = cursor.pointee
        if byte == UInt8(ascii: "\\") { return try scanEscape(cursor) }
        if byte < 0x20 { throw fail("control character in a string", at: cursor) }
        let length = UTF8Validation.sequenceLength(cursor, end - cursor)
        guard length > 0 else {
            throw JSONSyntaxError(message: "invalid UTF-8", offset: cursor - base, isInvalidUTF8: true)
        }
        return cursor + length
    }

    /// Validates the escape at `start` (a backslash); returns the cursor past it. `\u` surrogates
    /// must come as a high-low pair.
    func scanEscape(_ start: Cursor) throws(JSONSyntaxError) -> Cursor {
        var cursor = start
        guard end - cursor >= 2 else { throw fail("unexpected end of input in an escape", at: cursor) }
        switch cursor[1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return cursor + 2
        case UInt8(ascii: "u"):
            let unit = try hexEscape(cursor)
            if unit >= 0xDC00 && unit <= 0xDFFF { throw fail("lone low surrogate", at: cursor) }
            cursor += 6
            guard unit >= 0xD800 && unit <= 0xDBFF else { return cursor }
            guard end - cursor >= 2, cursor[0] == UInt8(ascii: "\\"), cursor[1] == UInt8(ascii: "u") else {
                throw fail("high surrogate without a low surrogate", at: cursor)
            }
            let low = try hexEscape(cursor)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw fail("high surrogate without a low surrogate", at: cursor)
            }
            return cursor + 6
        default:
            throw fail("invalid escape", at: cursor)
        }
    }

    /// The four hex digits of the `\u` escape at `cursor`.
    func hexEscape(_ cursor: Cursor) throws(JSONSyntaxError) -> UInt32 {
        guard end - cursor >= 6 else { throw fail("unexpected end of input in a \\u escape", at: cursor) }
        var unit: UInt32 = 0
        for index in 2..<6 {
            guard let digit = Self.hexValue(cursor[index]) else { throw fail("invalid \\u escape", at: cursor) }
            unit = unit << 4 | digit
        }
        return unit
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        if ASCII.isDigit(byte) { return UInt32(byte &- UInt8(ascii: "0")) }
        let lower = byte | 0x20
        if lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f") { return UInt32(lower - UInt8(ascii: "a") + 10) }
        return nil
    }
}
