import Testing

@testable import Query

@Suite struct ExecExprDateTests {
    @Test func dateTruncToEachUnit() throws {
        let ts: Int64 = 1_425_547_925_359  // 2015-03-05T09:32:05.359Z, a Thursday
        let cases: [(String, Value)] = [
            ("year", .timestamp(1_420_070_400_000)), ("YYYY", .timestamp(1_420_070_400_000)),
            ("quarter", .timestamp(1_420_070_400_000)), ("month", .timestamp(1_425_168_000_000)),
            ("week", .timestamp(1_425_254_400_000)), ("day", .timestamp(1_425_513_600_000)),
            ("hour", .timestamp(1_425_546_000_000)), ("minute", .timestamp(1_425_547_920_000)),
            ("second", .timestamp(1_425_547_925_000)), ("millisecond", .timestamp(ts)), ("fortnight", .null),
        ]
        let batch = makeBatch([(.timestamp, [.timestamp(ts)])])
        for (unit, expected) in cases {
            let expr = E.call(.dateTrunc, [E.str(unit), E.col(0, .timestamp)], .timestamp)
            #expect(try eval(expr, batch) == [expected], "\(unit)")
        }
    }

    @Test func dateTruncBeforeTheEpoch() throws {
        let batch = makeBatch([(.timestamp, [.timestamp(-1), .null])])  // 1969-12-31T23:59:59.999Z, a Wednesday
        let cases: [(String, Value)] = [
            ("hour", .timestamp(-3_600_000)), ("day", .timestamp(-86_400_000)), ("week", .timestamp(-259_200_000)),
            ("month", .timestamp(-2_678_400_000)), ("quarter", .timestamp(-7_948_800_000)),
            ("year", .timestamp(-31_536_000_000)), ("second", .timestamp(-1000)),
        ]
        for (unit, expected) in cases {
            let expr = E.call(.dateTrunc, [E.str(unit), E.col(0, .timestamp)], .timestamp)
            #expect(try eval(expr, batch) == [expected, .null], "\(unit)")
        }
    }

    @Test func extremeTimesNeverTrap() throws {
        let batch = makeBatch([(.timestamp, [.timestamp(Int64.min), .timestamp(Int64.max)])])
        for unit in ["year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond"] {
            let result = try eval(E.call(.dateTrunc, [E.str(unit), E.col(0, .timestamp)], .timestamp), batch)
            #expect(result.count == 2)
        }
        #expect(try eval(E.call(.hour, [E.col(0, .timestamp)], .int64), batch) == [.int64(16), .int64(7)])
        let texts = makeBatch([(.string, [.string("+999999999-12-31T23:59:59Z"), .string("-999999999-01-01")])])
        #expect(try eval(.cast(E.col(0, .string), to: .timestamp), texts) == [.null, .null])
        let formatted = try eval(.cast(E.col(0, .timestamp), to: .string), batch)
        #expect(formatted.count == 2 && !formatted.contains(.null))
    }

    @Test func hourIsUTCAndHandlesNegativeTimes() throws {
        let batch = makeBatch([
            (.timestamp, [.timestamp(1_425_547_925_359), .timestamp(-1), .timestamp(0), .null, .timestamp(-3_600_001)])
        ])
        #expect(
            try eval(E.call(.hour, [E.col(0, .timestamp)], .int64), batch) == [
                .int64(9), .int64(23), .int64(0), .null, .int64(22),
            ])
    }

    @Test func civilDatesRoundTripOverCenturies() {
        var days: Int64 = -800_000
        while days < 800_000 {
            let date = CivilTime.date(days: days)
            #expect(CivilTime.days(year: date.year, month: date.month, day: date.day) == days)
            #expect(date.day >= 1 && date.day <= CivilTime.daysInMonth(year: date.year, month: date.month))
            days += 997
        }
        #expect(CivilTime.date(days: 0) == (1970, 1, 1))
        #expect(CivilTime.date(days: -25_508) == (1900, 3, 1))
    }
}
