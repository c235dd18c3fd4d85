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
        defer { tokens.deallocate() }
        keys.withView { keys in
            plan.types.withUnsafeBufferPointer { types in
                plan.checkOrder.withUnsafeBufferPointer { order in
                    var keyScratch: [UInt8] = []
                    for index in 0..<records.count {
                        guard let value = builder.value(index, of: records) else { continue }
                        guard !value.isEmpty else {
                            builder.reject(index, of: records, .malformed("empty value at byte 0"))
                            continue
                        }
                        for slot in 0..<plan.slotCount { tokens[slot] = .absent }
                        let scanner = JSONScanner(value)
                        do throws(JSONSyntaxError) {
                            try scanner.scanObject(keys: keys, tokens: tokens, keyScratch: &keyScratch)
                        } catch {
                            let invalid = error.isInvalidUTF8 || !UTF8Validation.isValid(value)
                            builder.reject(index, of: records, invalid ? .invalidUTF8 : .malformed(error.detail))
                            continue
                        }
                        let converter = JSONFieldConverter(
                            types: types, tokens: tokens, record: value, recordStart: records.valueStarts[index])
                        converter.finish(record: index, of: records, order: order, into: &builder)
                    }
                }
            }
        }
    }
}

extension JSONScanner {
    /// Scans the record's one top-level object, recording the values of wanted keys in `tokens`.
    func scanObject(keys: JSONKeyView, tokens: UnsafeMutablePointer<JSONToken>, keyScratch: inout [UInt8])
        throws(JSONSyntaxError)
    {
        var cursor = skipWhitespace(base)
        guard cursor < end else { throw fail("unexpected end of input, expected '{'", at: cursor) }
        guard cursor.pointee == UInt8(ascii: "{") else { throw fail("the record is not a JSON object", at: cursor) }
        cursor = skipWhitespace(cursor + 1)
        if cursor < end && cursor.pointee == UInt8(ascii: "}") {
            cursor += 1
        } else {
            cursor = try scanMembers(cursor, keys: keys, tokens: tokens, keyScratch: &keyScratch)
        }
        cursor = skipWhitespace(cursor)
        guard cursor == end else { throw fail("unexpected text after the object", at: cursor) }
    }

    /// `"key": value` pairs from `start` up to and including the closing brace; strings and
    /// numbers, nearly every value, are scanned inline.
    @inline(__always)
    func scanMembers(
        _ start: Cursor, keys: JSONKeyView, tokens: UnsafeMutablePointer<JSONToken>, keyScratch: inout [UInt8]
    ) throws(JSONSyntaxError) -> Cursor {
        var cursor = start
        while true {
            cursor = try expect(UInt8(ascii: "\""), "expected a string key", cursor)
            let key = cursor
            let keyEscaped: Bool
            (cursor, keyEscaped) = try scanString(cursor)
            let keyLength = cursor - 1 - key
            if cursor < end && cursor.pointee == UInt8(ascii: ":") {
                cursor += 1
            } else {
                cursor = try expect(UInt8(ascii: ":"), "expected ':' after a key", skipWhitespace(cursor))
            }
            if cursor < end && cursor.pointee <= 0x20 { cursor = skipWhitespace(cursor) }
            guard cursor < end else { throw fail("unexpected end of input, expected a value", at: cursor) }
            var token: JSONToken
            let first = cursor.pointee
            if first == UInt8(ascii: "\"") {
                let (after, escaped) = try scanString(cursor + 1)
                token = JSONToken(
                    kind: escaped ? .escapedString : .string, start: offset(cursor + 1), end: offset(after - 1))
                cursor = after
            } else if ASCII.isDigit(first) || first == UInt8(ascii: "-") {
                token = JSONToken(kind: .integer, start: offset(cursor), end: 0)
                cursor = try scanNumber(cursor, into: &token)
                token.end = offset(cursor)
            } else {
                (cursor, token) = try scanValue(cursor, depth: 1)
            }
            if keyEscaped {
                assignEscaped(key: key, length: keyLength, token: token, keys: keys, tokens: tokens, &keyScratch)
            } else if keys.hasCandidates(length: keyLength) {
                keys.assign(key: key, length: keyLength, limit: end, token: token, to: tokens)
            }
            if cursor < end && cursor.pointee <= 0x20 { cursor = skipWhitespace(cursor) }
            guard cursor < end else { throw fail("unexpected end of input in the object", at: cursor) }
            let separator = cursor.pointee
            cursor += 1
            if separator == UInt8(ascii: "}") { return cursor }
            guard separator == UInt8(ascii: ",") else { throw fail("expected ',' or '}'", at: cursor - 1) }
            if cursor < end && cursor.pointee <= 0x20 { cursor = skipWhitespace(cursor) }
        }
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
            keys.assign(key: start, length: unescaped.count, limit: start + unescaped.count, token: token, to: tokens)
        }
    }
}
