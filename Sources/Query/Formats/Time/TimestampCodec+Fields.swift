/// The fields of ISO-8601 and combined-log timestamps.
extension TimestampCodec {
    /// `YYYY-MM-DD` or `±YYYYYY-MM-DD`, as days since the epoch.
    @inline(__always)
    static func isoDate(_ cursor: inout TimeTextCursor) throws(TimestampParseError) -> Int64 {
        var year: Int64
        if cursor.peek() == UInt8(ascii: "+") || cursor.peek() == UInt8(ascii: "-") {
            let negative = cursor.peek() == UInt8(ascii: "-")
            cursor.position += 1
            year = try cursor.digits(6)
            if negative { year = -year }
        } else {
            year = try cursor.digits(4)
        }
        try cursor.expect(UInt8(ascii: "-"))
        let month = try cursor.digits(2)
        try TimeTextCursor.check(month, 1...12, .month)
        try cursor.expect(UInt8(ascii: "-"))
        let day = try cursor.digits(2)
        try TimeTextCursor.check(day, 1...CivilCalendar.daysInMonth(year: year, month: month), .day)
        return CivilCalendar.days(year: year, month: month, day: day)
    }

    /// `HH:MM[:SS[.fffffffff]]` as milliseconds into the day; the fraction is truncated to ms.
    @inline(__always)
    static func isoTimeOfDay(_ cursor: inout TimeTextCursor) throws(TimestampParseError) -> Int64 {
        let hour = try cursor.digits(2)
        try cursor.expect(UInt8(ascii: ":"))
        let minute = try cursor.digits(2)
        var second: Int64 = 0
        var fractionMs: Int64 = 0
        if cursor.skip(UInt8(ascii: ":")) {
            second = try cursor.digits(2)
            if cursor.skip(UInt8(ascii: ".")) || cursor.skip(UInt8(ascii: ",")) {
                fractionMs = try fractionMilliseconds(&cursor)
            }
        }
        try checkClock(hour: hour, minute: minute, second: second)
        return ((hour * 60 + minute) * 60 + second) * 1000 + fractionMs
    }

    /// 1...9 digits after the decimal mark, as whole milliseconds (truncated, never rounded up
    /// into the next second).
    static func fractionMilliseconds(_ cursor: inout TimeTextCursor) throws(TimestampParseError) -> Int64 {
        var count = 0
        var milliseconds: Int64 = 0
        while let byte = cursor.peek(), byte &- UInt8(ascii: "0") < 10 {
            guard count < 9 else { throw .tooManyFractionDigits(at: cursor.position) }
            if count < 3 { milliseconds = milliseconds * 10 + Int64(byte &- UInt8(ascii: "0")) }
            count += 1
            cursor.position += 1
        }
        guard count > 0 else { throw .expectedDigit(at: cursor.position) }
        for _ in count..<max(count, 3) { milliseconds *= 10 }
        return milliseconds
    }

    /// `Z`, `±HH:MM`, `±HHMM`, `±HH` or nothing (UTC), as milliseconds east of UTC.
    static func isoOffset(_ cursor: inout TimeTextCursor) throws(TimestampParseError) -> Int64 {
        guard let byte = cursor.peek() else { return 0 }
        if byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "z") {
            cursor.position += 1
            return 0
        }
        guard byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") else {
            throw .trailingCharacters(at: cursor.position)
        }
        cursor.position += 1
        let offsetMs = try offsetHoursMinutes(&cursor, colon: true, minutesRequired: false)
        return byte == UInt8(ascii: "-") ? -offsetMs : offsetMs
    }

    /// `HH[:]MM` (or `HH` alone when minutes are optional) after an offset's sign, in milliseconds.
    static func offsetHoursMinutes(_ cursor: inout TimeTextCursor, colon: Bool, minutesRequired: Bool)
        throws(TimestampParseError) -> Int64
    {
        let hours = try cursor.digits(2)
        try TimeTextCursor.check(hours, 0...18, .offsetHour)
        var minutes: Int64 = 0
        if colon && cursor.skip(UInt8(ascii: ":")) {
            minutes = try cursor.digits(2)
        } else if minutesRequired || cursor.peek().map({ $0 &- UInt8(ascii: "0") < 10 }) == true {
            minutes = try cursor.digits(2)
        }
        try TimeTextCursor.check(minutes, 0...59, .offsetMinute)
        return (hours * 60 + minutes) * 60_000
    }

    /// Three-letter English month abbreviation, any case, as 1...12.
    static func monthNumber(_ cursor: inout TimeTextCursor) throws(TimestampParseError) -> Int64 {
        let start = cursor.position
        guard cursor.bytes.count - start >= 3 else { throw .unknownMonth(at: start) }
        let key =
            (UInt32(cursor.bytes[start] | 0x20) << 16) | (UInt32(cursor.bytes[start + 1] | 0x20) << 8)
            | UInt32(cursor.bytes[start + 2] | 0x20)
        guard let index = monthKeys.firstIndex(of: key) else { throw .unknownMonth(at: start) }
        cursor.position += 3
        return Int64(index + 1)
    }

    /// "jan"..."dec" packed as three lowercase bytes.
    static let monthKeys: [UInt32] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .map { name in name.utf8.reduce(UInt32(0)) { ($0 << 8) | UInt32($1) } }

    /// Hour 0...23, minute 0...59, second 0...59 (leap seconds are refused, as Spark does).
    static func checkClock(hour: Int64, minute: Int64, second: Int64) throws(TimestampParseError) {
        try TimeTextCursor.check(hour, 0...23, .hour)
        try TimeTextCursor.check(minute, 0...59, .minute)
        try TimeTextCursor.check(second, 0...59, .second)
    }
}
