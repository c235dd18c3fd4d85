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
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDiv(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day count since 1970-01-01.
    static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDiv(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Days in `month` of `year`.
    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

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
