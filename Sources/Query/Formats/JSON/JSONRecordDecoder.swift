/// Decodes JSON records: each must be exactly one object (RFC 8259, whitespace around it allowed).
struct JSONRecordDecoder: Sendable {
    let plan: DecodePlan
    let keys: JSONKeyTable

    init(plan: DecodePlan) {
        self.plan = plan
        keys = JSONKeyTable(names: plan.names)
    }

    /// Decodes every record into `builder`.
    func decode(_ records: SourceRecords, into builder: inout RowBuilder) {
        let tokens = UnsafeMutablePointer<JSONToken>.allocate(capacity: max(plan.slotCount, 1))
        let memo = JSONKeyMemo()
        var map = JSONAttentionMap()
        defer {
            tokens.deallocate()
            memo.deallocate()
            map.deallocate()
        }
        keys.withView { keys in
            plan.types.withUnsafeBufferPointer { types in
                plan.checkOrder.withUnsafeBufferPointer { order in
                    var keyScratch: [UInt8] = []
                    let slotCount = plan.slotCount
                    for index in 0..<records.count {
                        guard let value = builder.value(index, of: records) else { continue }
                        guard !value.isEmpty else {
                            builder.reject(index, of: records, .malformed("empty value at byte 0"))
                            continue
                        }
                        for slot in 0..<slotCount { tokens[slot] = .absent }
                        let scanner = JSONScanner(value, map: &map)
                        do throws(JSONSyntaxError) {
                            try scanner.scanObject(keys: keys, memo: memo, tokens: tokens, keyScratch: &keyScratch)
                        } catch {
                            let invalid = error.isInvalidUTF8 || !UTF8Validation.isValid(value)
                            builder.reject(index, of: records, invalid ? .invalidUTF8 : .malformed(error.detail))
                            continue
                        }
                        let converter = JSONFieldConverter(
                            types: types, tokens: tokens, record: value, recordStart: records.valueStarts[index])
                        converter.finishRow(record: index, of: records, order: order, into: &builder)
                    }
                }
            }
        }
    }
}

extension JSONScanner {
    /// Scans the record's one top-level object, recording the values of wanted keys in `tokens`.
    func scanObject(
        keys: JSONKeyView, memo: JSONKeyMemo, tokens: UnsafeMutablePointer<JSONToken>, keyScratch: inout [UInt8]
    ) throws(JSONSyntaxError) {
        var cursor = skipWhitespace(base)
        guard cursor < end else { throw fail("unexpected end of input, expected '{'", at: cursor) }
        guard cursor.pointee == UInt8(ascii: "{") else { throw fail("the record is not a JSON object", at: cursor) }
        cursor = skipWhitespace(cursor + 1)
        if cursor < end && cursor.pointee == UInt8(ascii: "}") {
            cursor += 1
        } else {
            cursor = try scanMembers(cursor, keys: keys, memo: memo, tokens: tokens, keyScratch: &keyScratch)
        }
        cursor = skipWhitespace(cursor)
        guard cursor == end else { throw fail("unexpected text after the object", at: cursor) }
    }

    /// `"key": value` pairs from `start` up to and including the closing brace; remembered keys,
    /// strings and numbers (nearly everything) are handled inline. After the first member the
    /// memo holds the separator with the key (`,"key":`), so a hit also skips the separator.
    @inline(__always)
    func scanMembers(
        _ start: Cursor, keys: JSONKeyView, memo: JSONKeyMemo, tokens: UnsafeMutablePointer<JSONToken>,
        keyScratch: inout [UInt8]
    ) throws(JSONSyntaxError) -> Cursor {
        var cursor = start
        var position = 0
        while true {
            let key: Cursor
            let keyLength: Int
            let match: JSONKeyMatch
            let remembered = memo.hit(position, cursor, available: end - cursor)
            if remembered > 0 {
                cursor += remembered
                keyLength = memo.keyLength(position)
                key = cursor - 2 - keyLength
                match = memo.match(position)
            } else {
                let memberStart = cursor
                if position > 0 {
                    let closed: Bool
                    (cursor, closed) = try scanSeparator(cursor)
                    if closed { return cursor }
                }
                (cursor, key, keyLength, match) = try scanKey(cursor, position, memberStart, keys, memo, &keyScratch)
            }
            if cursor < end && cursor.pointee <= 0x20 { cursor = skipWhitespace(cursor) }
            let token: JSONToken
            (cursor, token) = try scanMemberValue(cursor)
            if match.slot != JSONKeyMatch.none.slot {
                if match.slot == JSONKeyMatch.escaped.slot {
                    assignEscaped(key: key, length: keyLength, token: token, keys: keys, tokens: tokens, &keyScratch)
                } else {
                    keys.store(token, match, key: key, length: keyLength, tokens)
                }
            }
            position += 1
        }
    }

    /// The whitespace and separator after a member: the cursor at the next key, or past the
    /// closing brace when `closed`.
    @inline(__always)
    func scanSeparator(_ start: Cursor) throws(JSONSyntaxError) -> (Cursor, closed: Bool) {
        var cursor = start
        if cursor < end && cursor.pointee <= 0x20 { cursor = skipWhitespace(cursor) }
        guard cursor < end else { throw fail("unexpected end of input in the object", at: cursor) }
        let separator = cursor.pointee
        cursor += 1
        if separator == UInt8(ascii: "}") { return (cursor, true) }
        guard separator == UInt8(ascii: ",") else { throw fail("expected ',' or '}'", at: cursor - 1) }
        if cursor < end && cursor.pointee <= 0x20 { cursor = skipWhitespace(cursor) }
        return (cursor, false)
    }

    /// A key and its colon, scanned and matched; remembered for `position` from `memberStart`
    /// (the separator before it, if any) when it is plain.
    @inline(__always)
    func scanKey(
        _ start: Cursor, _ position: Int, _ memberStart: Cursor, _ keys: JSONKeyView, _ memo: JSONKeyMemo,
        _ keyScratch: inout [UInt8]
    ) throws(JSONSyntaxError) -> (Cursor, key: Cursor, length: Int, match: JSONKeyMatch) {
        var cursor = try expect(UInt8(ascii: "\""), "expected a string key", start)
        let key = cursor
        let escaped: Bool
        (cursor, escaped) = try scanString(cursor)
        let length = cursor - 1 - key
        let match = escaped ? JSONKeyMatch.escaped : keys.match(key: key, length: length, limit: end)
        if cursor < end && cursor.pointee == UInt8(ascii: ":") {
            cursor += 1
            if !escaped {
                memo.remember(position, memberStart, length: cursor - memberStart, keyLength: length, match: match)
            }
        } else {
            cursor = try expect(UInt8(ascii: ":"), "expected ':' after a key", skipWhitespace(cursor))
        }
        return (cursor, key, length, match)
    }

    /// The value after a key: strings and numbers inline, anything else out of line.
    @inline(__always)
    func scanMemberValue(_ start: Cursor) throws(JSONSyntaxError) -> (Cursor, JSONToken) {
        guard start < end else { throw fail("unexpected end of input, expected a value", at: start) }
        let first = start.pointee
        if first == UInt8(ascii: "\"") {
            let (after, escaped) = try scanString(start + 1)
            return (
                after,
                JSONToken(kind: escaped ? .escapedString : .string, start: offset(start + 1), end: offset(after - 1))
            )
        }
        if ASCII.isDigit(first) || first == UInt8(ascii: "-") {
            var token = JSONToken(kind: .integer, start: offset(start), end: 0)
            let after = try scanNumber(start, into: &token)
            token.end = offset(after)
            return (after, token)
        }
        return try scanValue(start, depth: 1)
    }

    /// Matches a key written with escapes by its unescaped text.
    func assignEscaped(
        key: Cursor, length: Int, token: JSONToken, keys: JSONKeyView, tokens: UnsafeMutablePointer<JSONToken>,
        _ keyScratch: inout [UInt8]
    ) {
        keyScratch.removeAll(keepingCapacity: true)
        JSONUnescape.append(UnsafeRawBufferPointer(start: key, count: length), to: &keyScratch)
        keyScratch.withUnsafeBufferPointer { unescaped in
            guard let start = unescaped.baseAddress else { return }
            let match = keys.match(key: start, length: unescaped.count, limit: start + unescaped.count)
            keys.store(token, match, key: start, length: unescaped.count, tokens)
        }
    }
}
