/// Conversions between epoch milliseconds (UTC) and calendar fields, proleptic Gregorian, for
/// any Int64 day count (Howard Hinnant's days_from_civil / civil_from_days).
enum CivilTime {
    static let msPerSecond: Int64 = 1000
    static let msPerMinute: Int64 = 60_000
    static let msPerHour: Int64 = 3_600_000
    static let msPerDay: Int64 = 86_400_000

    /// `a` divided by `b` rounded toward negative infinity (b > 0).
    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && a < 0) ? quotient - 1 : quotient
    }

    /// `a` modulo `b` in 0..<b (b > 0).
    @inline(__always)
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        let remainder = a % b
        return remainder < 0 ? remainder + b : remainder
    }

    /// Days since 1970-01-01 of a calendar date (month 1...12, day 1...31).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        CivilCalendar.days(year: year, month: month, day: day)
    }

    /// The calendar date of a day count since 1970-01-01.
    static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) { CivilCalendar.date(days: days) }

    /// Days in `month` of `year`.
    static func daysInMonth(year: Int64, month: Int64) -> Int64 { CivilCalendar.daysInMonth(year: year, month: month) }

    /// `ms` as ISO-8601 UTC with milliseconds, `2024-05-01T12:00:00.000Z` (years outside 0...9999
    /// carry a sign, as ISO-8601's expanded form does).
    static func iso8601(_ ms: Int64) -> String {
        let days = floorDiv(ms, msPerDay)
        let inDay = floorMod(ms, msPerDay)
        let date = date(days: days)
        var text = ""
        if date.year < 0 || date.year > 9999 { text += date.year < 0 ? "-" : "+" }
        text += padded(abs(date.year), 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2)
        text += "T" + padded(inDay / msPerHour, 2) + ":" + padded(inDay / msPerMinute % 60, 2)
        text += ":" + padded(inDay / msPerSecond % 60, 2) + "." + padded(inDay % 1000, 3) + "Z"
        return text
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
