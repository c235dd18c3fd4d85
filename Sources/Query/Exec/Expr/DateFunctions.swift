/// date_trunc and hour, in UTC.
enum DateFunctions {
    /// The units `date_trunc` takes, with Spark's spellings.
    enum Unit {
        case year, quarter, month, week, day, hour, minute, second, millisecond

        init?(_ text: String) {
            switch text.lowercased() {
            case "year", "yyyy", "yy": self = .year
            case "quarter": self = .quarter
            case "month", "mon", "mm": self = .month
            case "week": self = .week
            case "day", "dd": self = .day
            case "hour": self = .hour
            case "minute": self = .minute
            case "second": self = .second
            case "millisecond", "microsecond": self = .millisecond
            default: return nil
            }
        }

        /// `ms` truncated to the start of its unit (weeks start on Monday, as in Spark).
        func truncate(_ ms: Int64) -> Int64 {
            let days = CivilTime.floorDiv(ms, CivilTime.msPerDay)
            switch self {
            case .millisecond: return ms
            case .second: return CivilTime.floorDiv(ms, CivilTime.msPerSecond) * CivilTime.msPerSecond
            case .minute: return CivilTime.floorDiv(ms, CivilTime.msPerMinute) * CivilTime.msPerMinute
            case .hour: return CivilTime.floorDiv(ms, CivilTime.msPerHour) * CivilTime.msPerHour
            case .day: return days * CivilTime.msPerDay
            case .week:
                // 1970-01-01 was a Thursday, three days after a Monday.
                return (days - CivilTime.floorMod(days + 3, 7)) * CivilTime.msPerDay
            case .month, .quarter, .year:
                let date = CivilTime.date(days: days)
                let month = self == .year ? 1 : (self == .quarter ? (date.month - 1) / 3 * 3 + 1 : date.month)
                return CivilTime.days(year: date.year, month: month, day: 1) * CivilTime.msPerDay
            }
        }
    }

    /// `date_trunc(unit, ts)`; an unknown unit yields NULL, as in Spark.
    static func dateTrunc(_ units: Column, _ times: Column) -> Column {
        var values = [Int64](repeating: 0, count: times.count)
        var nulls = Column.unionNulls(units, times)
        if nulls.isEmpty { nulls = [Bool](repeating: false, count: times.count) }
        // The unit is nearly always a literal: parse it once per distinct spelling in a row.
        var cachedText: ArraySlice<UInt8> = []
        var cachedUnit: Unit? = nil
        var cached = false
        for row in 0..<times.count where !nulls[row] {
            let text = units.strings.bytes[units.strings.range(at: row)]
            if !cached || text != cachedText {
                cachedText = text
                cachedUnit = Unit(String(decoding: text, as: UTF8.self))
                cached = true
            }
            if let unit = cachedUnit {
                values[row] = unit.truncate(times.int64s[row])
            } else {
                nulls[row] = true
            }
        }
        return Column.int64s(.timestamp, values, nulls: nulls)
    }

    /// `hour(ts)`: 0–23 in UTC.
    static func hour(_ times: Column) -> Column {
        let values = Kernels.map(times.int64s) { CivilTime.floorMod($0, CivilTime.msPerDay) / CivilTime.msPerHour }
        return Column.int64s(.int64, values, nulls: times.nulls)
    }
}
