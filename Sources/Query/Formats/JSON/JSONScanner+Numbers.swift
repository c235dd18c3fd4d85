/// Numbers, validated per the JSON grammar; short integers are accumulated on the way.
extension JSONScanner {
    /// Scans the number at `start` into `token` (`.number` if it has a fraction or exponent,
    /// else `.integer`, with its value when it has at most 18 digits); returns the cursor after it.
    @inline(__always)
    func scanNumber(_ start: Cursor, into token: inout JSONToken) throws(JSONSyntaxError) -> Cursor {
        var cursor = start
        let negative = cursor.pointee == UInt8(ascii: "-")
        if negative { cursor += 1 }
        guard cursor < end else { throw fail("unexpected end of input in a number", at: cursor) }
        let digitsStart = cursor
        var value: Int64 = 0
        if let word = digitWord(cursor) {
            // Up to eight digits in one step, the first digit's checks included.
            let count = SWARDigits.leadingDigitCount(word)
            guard count > 0 else { throw fail("expected a digit", at: cursor) }
            if word & 0xFF == UInt64(UInt8(ascii: "0")) {
                if count > 1 { throw fail("leading zero in a number", at: cursor + 1) }
                cursor += 1
            } else {
                value = SWARDigits.value(word, count: count)
                cursor += count
                if count == 8 { (cursor, value) = scanDigits(cursor, value: value) }
            }
        } else {
            let first = cursor.pointee &- UInt8(ascii: "0")
            guard first < 10 else { throw fail("expected a digit", at: cursor) }
            cursor += 1
            if first == 0 {
                if cursor < end && ASCII.isDigit(cursor.pointee) { throw fail("leading zero in a number", at: cursor) }
            } else {
                (cursor, value) = scanDigits(cursor, value: Int64(first))
            }
        }
        token.kind = .integer
        token.integerIsExact = cursor - digitsStart <= 18
        token.integerValue = negative ? 0 &- value : value
        guard cursor < end else { return cursor }
        let next = cursor.pointee
        guard next == UInt8(ascii: ".") || next | 0x20 == UInt8(ascii: "e") else { return cursor }
        token.kind = .number
        return try scanFractionAndExponent(cursor)
    }

    /// The eight bytes from `cursor` as a little-endian word, zero-filled past the record's end
    /// (zero is no digit); nil when fewer than eight bytes follow and the record is shorter than
    /// eight. Near the end it loads the record's last eight bytes and shifts, so a number that
    /// ends the record (most do: the last field before `}`) still takes the word path.
    @inline(__always)
    func digitWord(_ cursor: Cursor) -> UInt64? {
        let available = end - cursor
        if available >= 8 { return UInt64(littleEndian: UnsafeRawPointer(cursor).loadUnaligned(as: UInt64.self)) }
        guard available > 0, end - base >= 8 else { return nil }
        let last = UInt64(littleEndian: UnsafeRawPointer(end - 8).loadUnaligned(as: UInt64.self))
        return last &>> UInt64(8 &* (8 &- available))
    }

    /// Moves past the digits at `start`, accumulating them onto `value` (wrapping: only numbers
    /// of at most 18 digits are used). Eight at a time, as the digit loop's multiply chain was
    /// the hottest part of scanning epoch-millisecond times.
    @inline(__always)
    func scanDigits(_ start: Cursor, value initial: Int64) -> (Cursor, Int64) {
        var cursor = start
        var value = initial
        while let word = digitWord(cursor) {
            let count = SWARDigits.leadingDigitCount(word)
            if count == 0 { return (cursor, value) }
            value = value &* SWARDigits.powerOfTen(count) &+ SWARDigits.value(word, count: count)
            cursor += count
            if count < 8 { return (cursor, value) }
        }
        while cursor < end {
            let digit = cursor.pointee &- UInt8(ascii: "0")
            if digit >= 10 { break }
            value = value &* 10 &+ Int64(digit)
            cursor += 1
        }
        return (cursor, value)
    }

    /// `.digits` and/or `e[+-]digits` at the cursor.
    func scanFractionAndExponent(_ start: Cursor) throws(JSONSyntaxError) -> Cursor {
        var cursor = start
        if cursor.pointee == UInt8(ascii: ".") {
            cursor = try requireDigits(cursor + 1, "expected a digit after the decimal point")
        }
        if cursor < end && cursor.pointee | 0x20 == UInt8(ascii: "e") {
            cursor += 1
            if cursor < end && (cursor.pointee == UInt8(ascii: "+") || cursor.pointee == UInt8(ascii: "-")) {
                cursor += 1
            }
            cursor = try requireDigits(cursor, "expected a digit in the exponent")
        }
        return cursor
    }

    func requireDigits(_ start: Cursor, _ message: StaticString) throws(JSONSyntaxError) -> Cursor {
        guard start < end else { throw fail("unexpected end of input in a number", at: start) }
        guard ASCII.isDigit(start.pointee) else { throw fail(message, at: start) }
        var cursor = start
        while cursor < end && ASCII.isDigit(cursor.pointee) { cursor += 1 }
        return cursor
    }
}
