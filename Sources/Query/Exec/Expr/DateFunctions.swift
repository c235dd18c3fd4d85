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

        /// `ms` truncated to the start of its unit (weeks start on Monday, as in Spark); nil when
        /// that start does not fit in Int64 (near the ends of the range).
        func truncate(_ ms: Int64) -> Int64? {
            switch self {
            case .millisecond: return ms
            case .second: return Self.down(ms, CivilTime.msPerSecond)
            case .minute: return Self.down(ms, CivilTime.msPerMinute)
            case .hour: return Self.down(ms, CivilTime.msPerHour)
            case .day: return Self.down(ms, CivilTime.msPerDay)
            case .week:
                // 1970-01-01 was a Thursday, three days after a Monday.
                let days = CivilTime.floorDiv(ms, CivilTime.msPerDay)
                return Self.startOfDay(days - CivilTime.floorMod(days + 3, 7))
            case .month, .quarter, .year:
                let date = CivilTime.date(days: CivilTime.floorDiv(ms, CivilTime.msPerDay))
                let month = self == .year ? 1 : (self == .quarter ? (date.month - 1) / 3 * 3 + 1 : date.month)
                return Self.startOfDay(CivilTime.days(year: date.year, month: month, day: 1))
            }
        }

        private static func down(_ ms: Int64, _ unit: Int64) -> Int64? {
            let (start, overflow) = ms.subtractingReportingOverflow(CivilTime.floorMod(ms, unit))
            return overflow ? nil : start
        }

        private static func startOfDay(_ days: Int64) -> Int64? {
            let (ms, overflow) = days.multipliedReportingOverflow(by: CivilTime.msPerDay)
            return overflow ? nil : ms
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
            if let truncated = cachedUnit?.truncate(times.int64s[row]) {
                values[row] = truncated
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
