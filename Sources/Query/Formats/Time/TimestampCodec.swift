/// Parsing and formatting of timestamp text as milliseconds since the Unix epoch (UTC), in pure
/// integer arithmetic: no Foundation date classes, no allocation.
public enum TimestampCodec {
    /// Longer text is refused before parsing: no accepted form comes close.
    public static let textBytesMax = 64

    /// Parses ISO-8601 (RFC 3339 and the forms people write): `2026-11-30T03:17:37Z`, a fraction of
    /// 1...9 digits after `.` or `,` (truncated to milliseconds), offsets `Z`, `+01:00`, `-0700` or
    /// `+01`, a space or `t` instead of `T`, seconds optional, a date alone (midnight), and `±YYYYYY`
    /// years. Text without an offset is UTC.
    public static func parseISO8601(_ text: UnsafeRawBufferPointer) throws(TimestampParseError) -> Int64 {
        // The common form is 19 to 29 bytes, so empty or over-long text reaches the full parser's checks.
        if let epochMs = parseCommonISO8601(text) { return epochMs }
        return try parseAnyISO8601(text)
    }

    /// `parseISO8601` field by field, for every accepted form (no fixed-position shortcut): the
    /// reference the common-form fast path must agree with, and the one that names errors.
    static func parseAnyISO8601(_ text: UnsafeRawBufferPointer) throws(TimestampParseError) -> Int64 {
        guard !text.isEmpty else { throw .empty }
        guard text.count <= textBytesMax else { throw .tooLong(bytes: text.count) }
        var cursor = TimeTextCursor(text)
        let days = try isoDate(&cursor)
        guard let separator = cursor.peek() else { return days * CivilCalendar.dayMs }
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
        else { throw .trailingCharacters(at: cursor.position) }
        cursor.position += 1
        let msOfDay = try isoTimeOfDay(&cursor)
        let offsetMs = try isoOffset(&cursor)
        guard cursor.atEnd else { throw .trailingCharacters(at: cursor.position) }
        return days * CivilCalendar.dayMs + msOfDay - offsetMs
    }

    /// Parses the Apache/Nginx `%t` form without its brackets: `10/Oct/2000:13:55:36 -0700`.
    public static func parseCombinedLog(_ text: UnsafeRawBufferPointer) throws(TimestampParseError) -> Int64 {
        guard !text.isEmpty else { throw .empty }
        guard text.count <= textBytesMax else { throw .tooLong(bytes: text.count) }
        var cursor = TimeTextCursor(text)
        let day = try cursor.digits(2)
        try cursor.expect(UInt8(ascii: "/"))
        let month = try monthNumber(&cursor)
        try cursor.expect(UInt8(ascii: "/"))
        let year = try cursor.digits(4)
        try TimeTextCursor.check(day, 1...CivilCalendar.daysInMonth(year: year, month: month), .day)
        try cursor.expect(UInt8(ascii: ":"))
        let hour = try cursor.digits(2)
        try cursor.expect(UInt8(ascii: ":"))
        let minute = try cursor.digits(2)
        try cursor.expect(UInt8(ascii: ":"))
        let second = try cursor.digits(2)
        try checkClock(hour: hour, minute: minute, second: second)
        try cursor.expect(UInt8(ascii: " "))
        let negative = cursor.peek() == UInt8(ascii: "-")
        guard negative || cursor.peek() == UInt8(ascii: "+") else {
            throw .expectedCharacter(UInt8(ascii: "+"), at: cursor.position)
        }
        cursor.position += 1
        let offsetMs = try offsetHoursMinutes(&cursor, colon: false, minutesRequired: true)
        guard cursor.atEnd else { throw .trailingCharacters(at: cursor.position) }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let msOfDay = ((hour * 60 + minute) * 60 + second) * 1000
        return days * CivilCalendar.dayMs + msOfDay - (negative ? -offsetMs : offsetMs)
    }

    /// Parses epoch milliseconds written as an optionally signed decimal integer, or else ISO-8601.
    public static func parseEpochMsOrISO8601(_ text: UnsafeRawBufferPointer) throws(TimestampParseError) -> Int64 {
        if let epochMs = epochMilliseconds(text) { return epochMs }
        return try parseISO8601(text)
    }

    /// `parseISO8601` over a String (for tests, literals and slow paths).
    public static func parseISO8601(_ text: String) throws(TimestampParseError) -> Int64 {
        var copy = text
        return try copy.withUTF8 { utf8 in
            Result { () throws(TimestampParseError) in
                try parseISO8601(UnsafeRawBufferPointer(utf8))
            }
        }.get()
    }

    /// `parseCombinedLog` over a String (for tests and slow paths).
    public static func parseCombinedLog(_ text: String) throws(TimestampParseError) -> Int64 {
        var copy = text
        return try copy.withUTF8 { utf8 in
            Result { () throws(TimestampParseError) in
                try parseCombinedLog(UnsafeRawBufferPointer(utf8))
            }
        }.get()
    }

    /// `-?[0-9]+` that fits an Int64, else nil (then the text is not epoch milliseconds).
    static func epochMilliseconds(_ text: UnsafeRawBufferPointer) -> Int64? {
        let negative = text.first == UInt8(ascii: "-")
        let digitsStart = negative ? 1 : 0
        guard text.count > digitsStart, text.count - digitsStart <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for index in digitsStart..<text.count {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            magnitude = magnitude &* 10 &+ UInt64(digit)
        }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }
}
