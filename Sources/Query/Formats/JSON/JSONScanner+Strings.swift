/// Strings: the hot loop. Eight bytes at a time while none needs a look (a quote, a backslash, a
/// control character or a non-ASCII byte), then byte by byte for escapes and UTF-8 sequences.
extension JSONScanner {
    /// Scans a string's body from `start`, just past its opening quote; returns the cursor past
    /// its closing quote and whether it holds escapes.
    @inline(__always)
    func scanString(_ start: Cursor) throws(JSONSyntaxError) -> (Cursor, Bool) {
        var cursor = start
        var escaped = false
        while true {
            while end - cursor >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(cursor).loadUnaligned(as: UInt64.self))
                let mask = Self.attentionMask(word)
                if mask != 0 {
                    cursor += mask.trailingZeroBitCount &>> 3
                    break
                }
                cursor += 8
            }
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

    /// The high bit of every byte lane of `word` holding `"`, `\`, a byte below 0x20 or a byte
    /// of 0x80 and above. Borrows can only mark lanes above a truly marked lane, so the lowest
    /// marked lane is always a real one.
    @inline(__always)
    static func attentionMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let quoteLanes = (quotes &- ones) & ~quotes
        let backslashLanes = (backslashes &- ones) & ~backslashes
        let controlLanes = (word &- ones &* 0x20) & ~word
        return (quoteLanes | backslashLanes | controlLanes | word) & highs
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
