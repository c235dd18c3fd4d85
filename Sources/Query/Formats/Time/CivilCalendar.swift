/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01, in plain integer math
/// (Howard Hinnant's `days_from_civil` / `civil_from_days`), valid for every day an Int64 of
/// milliseconds can reach.
public enum CivilCalendar {
    /// Milliseconds in one day.
    public static let dayMs: Int64 = 86_400_000

    /// Days since 1970-01-01 of `year`-`month`-`day` (month 1...12, day 1...31, not range-checked).
    @inlinable
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of `days` since 1970-01-01.
    @inlinable
    public static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// True when `year` has a February 29th.
    @inlinable
    public static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Number of days in `month` (1...12) of `year`.
    @inlinable
    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Splits epoch milliseconds into whole days and the milliseconds into that day (always ≥ 0).
    @inlinable
    public static func split(epochMs: Int64) -> (days: Int64, msOfDay: Int64) {
        var days = epochMs / dayMs
        var msOfDay = epochMs % dayMs
        if msOfDay < 0 {
            days -= 1
            msOfDay += dayMs
        }
        return (days, msOfDay)
    }
}
