/// Why a line is not in the combined log format.
struct CombinedLogSyntaxError: Error {
    let message: StaticString
    let offset: Int

    var detail: String { "\(message) at byte \(offset)" }
}

/// A hand-written parser of one combined-log line. Quoted fields end at the first quote not
/// escaped by a backslash (Apache writes `\"` and `\\`); trailing spaces and one line break are
/// allowed, anything else after the user agent is malformed.
struct CombinedLogParser {
    let line: UnsafeRawBufferPointer
    var position = 0

    init(_ line: UnsafeRawBufferPointer) { self.line = line }

    func fail(_ message: StaticString) -> CombinedLogSyntaxError {
        CombinedLogSyntaxError(message: message, offset: position)
    }

    /// Parses the line, recording where each field is in `fields` (reused from line to line).
    mutating func parse(into fields: inout CombinedLogFields) throws(CombinedLogSyntaxError) {
        try token(.ip, &fields)
        try space()
        try token(.ident, &fields)
        try space()
        try token(.user, &fields)
        try space()
        guard position < line.count, line[position] == UInt8(ascii: "[") else { throw fail("expected '['") }
        position += 1
        let timeStart = position
        while position < line.count && line[position] != UInt8(ascii: "]") { position += 1 }
        guard position < line.count else { throw fail("unterminated '[' timestamp") }
        fields.set(.ts, timeStart, position)
        position += 1
        try space()
        let (requestStart, requestEnd, requestEscaped) = try quoted()
        try splitRequest(requestStart, requestEnd, escaped: requestEscaped, &fields)
        try space()
        try token(.status, &fields)
        try space()
        try token(.bytes, &fields)
        try space()
        let referrer = try quoted()
        fields.set(.referrer, referrer.start, referrer.end, escaped: referrer.escaped)
        try space()
        let agent = try quoted()
        fields.set(.userAgent, agent.start, agent.end, escaped: agent.escaped)
        while position < line.count && (line[position] == 0x20 || line[position] == 0x0D || line[position] == 0x0A) {
            position += 1
        }
        guard position == line.count else { throw fail("unexpected text after the user agent") }
    }

    /// A non-empty run of bytes up to the next space.
    mutating func token(_ field: CombinedLogField, _ fields: inout CombinedLogFields) throws(CombinedLogSyntaxError) {
        let start = position
        while position < line.count && line[position] != UInt8(ascii: " ") { position += 1 }
        guard position > start else { throw fail("expected a field") }
        fields.set(field, start, position)
    }

    mutating func space() throws(CombinedLogSyntaxError) {
        guard position < line.count else { throw fail("unexpected end of line") }
        guard line[position] == UInt8(ascii: " ") else { throw fail("expected a space") }
        position += 1
    }

    /// A double-quoted field; returns its body's range and whether it holds backslash escapes.
    mutating func quoted() throws(CombinedLogSyntaxError) -> (start: Int, end: Int, escaped: Bool) {
        guard position < line.count, line[position] == UInt8(ascii: "\"") else { throw fail("expected '\"'") }
        position += 1
        let start = position
        var escaped = false
        while position < line.count && line[position] != UInt8(ascii: "\"") {
            if line[position] == UInt8(ascii: "\\") {
                escaped = true
                position += 1
            }
            position += 1
        }
        guard position < line.count else { throw fail("unterminated quoted field") }
        position += 1
        return (start, position - 1, escaped)
    }

    /// `METHOD URL PROTOCOL` (the URL may hold spaces: method up to the first space, protocol after
    /// the last); `METHOD URL` (HTTP/0.9) has no protocol; `-` has none of the three.
    mutating func splitRequest(_ start: Int, _ end: Int, escaped: Bool, _ fields: inout CombinedLogFields)
        throws(CombinedLogSyntaxError)
    {
        if end - start == 1 && line[start] == UInt8(ascii: "-") {
            for field in [CombinedLogField.method, .url, .protocol] { fields.set(field, start, start, present: false) }
            return
        }
        var firstSpace = start
        while firstSpace < end && line[firstSpace] != UInt8(ascii: " ") { firstSpace += 1 }
        var lastSpace = end - 1
        while lastSpace > firstSpace && line[lastSpace] != UInt8(ascii: " ") { lastSpace -= 1 }
        guard firstSpace < end, firstSpace > start, firstSpace + 1 < end else {
            position = start
            throw fail("the request is not 'METHOD URL PROTOCOL'")
        }
        fields.set(.method, start, firstSpace)
        if lastSpace == firstSpace {
            fields.set(.url, firstSpace + 1, end, escaped: escaped)
            fields.set(.protocol, end, end, present: false)
        } else {
            fields.set(.url, firstSpace + 1, lastSpace, escaped: escaped)
            fields.set(.protocol, lastSpace + 1, end)
        }
    }

    /// Appends a quoted field's text with `\"` and `\\` made plain; other escapes (`\xhh`) stay
    /// as written, since decoding them could produce bytes that are not UTF-8.
    static func appendUnescaped(_ text: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "\\") && index + 1 < text.count
                && (text[index + 1] == UInt8(ascii: "\"") || text[index + 1] == UInt8(ascii: "\\"))
            {
                output.append(text[index + 1])
                index += 2
            } else {
                output.append(byte)
                index += 1
            }
        }
    }
}
