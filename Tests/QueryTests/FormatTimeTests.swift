import Foundation
import Testing

@testable import Query

@Suite struct FormatTimeTests {
    /// Known instants, computed independently (Unix `date -u -d ... +%s%3N`).
    static let vectors: [(String, Int64)] = [
        ("1970-01-01T00:00:00Z", 0),
        ("2026-11-30T03:17:37Z", 1_796_008_657_000),
        ("2026-11-30T03:17:37.123Z", 1_796_008_657_123),
        ("2026-11-30T03:17:37.1Z", 1_796_008_657_100),
        ("2026-11-30T03:17:37.12Z", 1_796_008_657_120),
        ("2026-11-30T03:17:37.123456789Z", 1_796_008_657_123),
        ("2026-11-30T03:17:37,999Z", 1_796_008_657_999),
        ("2026-11-30T04:17:37+01:00", 1_796_008_657_000),
        ("2026-11-29T20:17:37-0700", 1_796_008_657_000),
        ("2026-11-30T05:17:37+02", 1_796_008_657_000),
        ("2026-11-30 03:17:37Z", 1_796_008_657_000),
        ("2026-11-30t03:17:37z", 1_796_008_657_000),
        ("2026-11-30T03:17:37", 1_796_008_657_000),
        ("2026-11-30T03:17", 1_796_008_620_000),
        ("2026-11-30", 1_795_996_800_000),
        ("2000-02-29T12:00:00Z", 951_825_600_000),
        ("1969-12-31T23:59:59.999Z", -1),
        ("1900-01-01T00:00:00Z", -2_208_988_800_000),
        ("1600-03-01T00:00:00Z", -11_670_912_000_000),
        ("0000-01-01T00:00:00Z", -62_167_219_200_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
        ("+275760-09-13T00:00:00Z", 8_640_000_000_000_000),
        ("-000001-12-31T00:00:00Z", -62_167_305_600_000),
        ("2026-12-31T23:59:59.999Z", 1_798_761_599_999),
        ("2027-01-01T00:00:00+00:00", 1_798_761_600_000),
    ]

    @Test func parsesISO8601Vectors() throws {
        for (text, expected) in Self.vectors {
            #expect(try TimestampCodec.parseISO8601(text) == expected, "\(text)")
        }
    }

    @Test func parsesCombinedLogTimes() throws {
        #expect(try TimestampCodec.parseCombinedLog("10/Oct/2000:13:55:36 -0700") == 971_211_336_000)
        #expect(try TimestampCodec.parseCombinedLog("30/Nov/2026:03:17:37 +0000") == 1_796_008_657_000)
        #expect(try TimestampCodec.parseCombinedLog("30/nov/2026:04:17:37 +0100") == 1_796_008_657_000)
        #expect(try TimestampCodec.parseCombinedLog("29/Feb/2024:00:00:00 +0000") == 1_709_164_800_000)
        #expect(throws: TimestampParseError.outOfRange(field: .day, value: 29)) {
            try TimestampCodec.parseCombinedLog("29/Feb/2023:00:00:00 +0000")
        }
        #expect(throws: TimestampParseError.unknownMonth(at: 3)) {
            try TimestampCodec.parseCombinedLog("10/Okt/2000:13:55:36 -0700")
        }
        #expect(throws: TimestampParseError.expectedCharacter(UInt8(ascii: "+"), at: 21)) {
            try TimestampCodec.parseCombinedLog("10/Oct/2000:13:55:36 0700")
        }
        #expect(throws: TimestampParseError.expectedDigit(at: 25)) {
            try TimestampCodec.parseCombinedLog("10/Oct/2000:13:55:36 -070")
        }
    }

    @Test func refusesMalformedISO8601WithTypedErrors() {
        let cases: [(String, TimestampParseError)] = [
            ("", .empty),
            ("2026-13-01T00:00:00Z", .outOfRange(field: .month, value: 13)),
            ("2026-00-01", .outOfRange(field: .month, value: 0)),
            ("2026-02-29T00:00:00Z", .outOfRange(field: .day, value: 29)),
            ("2026-04-31", .outOfRange(field: .day, value: 31)),
            ("1900-02-29", .outOfRange(field: .day, value: 29)),
            ("2026-11-30T24:00:00Z", .outOfRange(field: .hour, value: 24)),
            ("2026-11-30T23:60:00Z", .outOfRange(field: .minute, value: 60)),
            ("2026-11-30T23:59:60Z", .outOfRange(field: .second, value: 60)),
            ("2026-11-30T23:59:59+19:00", .outOfRange(field: .offsetHour, value: 19)),
            ("2026-11-30T23:59:59+01:60", .outOfRange(field: .offsetMinute, value: 60)),
            ("2026-11-30T23:59:59.1234567890Z", .tooManyFractionDigits(at: 29)),
            ("2026-11-30T23:59:59.Z", .expectedDigit(at: 20)),
            ("2026-11-30T23:59:59Zjunk", .trailingCharacters(at: 20)),
            ("2026-11-30X23:59:59Z", .trailingCharacters(at: 10)),
            ("2026/11/30", .expectedCharacter(UInt8(ascii: "-"), at: 4)),
            ("26-11-30", .expectedDigit(at: 2)),
            ("yesterday", .expectedDigit(at: 0)),
            ("2026-11-30T3:17:37Z", .expectedDigit(at: 12)),
            (String(repeating: "9", count: 65), .tooLong(bytes: 65)),
        ]
        for (text, error) in cases {
            #expect(throws: error, "\(text)") { try TimestampCodec.parseISO8601(text) }
        }
    }

    @Test func formatsEpochMillisecondsAsISO8601UTC() {
        #expect(TimestampCodec.formatISO8601(epochMs: 0) == "1970-01-01T00:00:00.000Z")
        #expect(TimestampCodec.formatISO8601(epochMs: 1_796_008_657_000) == "2026-11-30T03:17:37.000Z")
        #expect(TimestampCodec.formatISO8601(epochMs: -1) == "1969-12-31T23:59:59.999Z")
        #expect(TimestampCodec.formatISO8601(epochMs: 951_825_600_000) == "2000-02-29T12:00:00.000Z")
        #expect(TimestampCodec.formatISO8601(epochMs: 8_640_000_000_000_000) == "+275760-09-13T00:00:00.000Z")
        #expect(TimestampCodec.formatISO8601(epochMs: -62_167_305_600_000) == "-000001-12-31T00:00:00.000Z")
        #expect(TimestampCodec.formatISO8601(epochMs: Int64.max) == "+292278994-08-17T07:12:55.807Z")
        #expect(TimestampCodec.formatISO8601(epochMs: Int64.min) == "-292275055-05-16T16:47:04.192Z")
    }

    /// Random instants across ±3000 years: our formatter and Foundation's agree, and parsing our
    /// text gives the instant back.
    @Test func agreesWithFoundationOnRandomInstants() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var random = FormatTestRandom(seed: 0x7173)
        let spanMs: Int64 = 3000 * 366 * 86_400_000
        for _ in 0..<2_000 {
            let epochMs = Int64.random(in: -spanMs...spanMs, using: &random)
            let ours = TimestampCodec.formatISO8601(epochMs: epochMs)
            #expect(try TimestampCodec.parseISO8601(ours) == epochMs, "\(ours)")
            // Foundation's calendar is Julian before 1582, so compare Gregorian years only.
            guard let year = Int(ours.prefix(4)), ours.first != "-", ours.first != "+", year >= 1583 else { continue }
            let foundation = formatter.string(from: Date(timeIntervalSince1970: Double(epochMs) / 1000))
            #expect(ours == foundation, "seed 0x7173, \(epochMs)")
            let parsed = try #require(formatter.date(from: ours))
            #expect(Int64((parsed.timeIntervalSince1970 * 1000).rounded()) == epochMs)
        }
    }

    /// Every day of two 400-year cycles across the epoch: the calendar round-trips and agrees
    /// with a plain day-by-day count.
    @Test func civilCalendarMatchesADayByDayCount() {
        var days = CivilCalendar.days(year: 1600, month: 1, day: 1)
        var mismatches: [String] = []
        for year: Int64 in 1600..<2401 {
            for month: Int64 in 1...12 {
                for day in 1...CivilCalendar.daysInMonth(year: year, month: month) {
                    let date = CivilCalendar.date(days: days)
                    if CivilCalendar.days(year: year, month: month, day: day) != days || date != (year, month, day) {
                        mismatches.append("\(year)-\(month)-\(day)")
                    }
                    days += 1
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(days == CivilCalendar.days(year: 2401, month: 1, day: 1))
        #expect(CivilCalendar.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.isLeapYear(2000) && CivilCalendar.isLeapYear(2024) && !CivilCalendar.isLeapYear(1900))
        #expect(CivilCalendar.split(epochMs: -1) == (-1, 86_399_999))
    }

    @Test func epochMillisecondsOrISOText() throws {
        func parse(_ text: String) throws -> Int64 {
            var copy = text
            return try copy.withUTF8 { utf8 in
                Result { () throws(TimestampParseError) in
                    try TimestampCodec.parseEpochMsOrISO8601(UnsafeRawBufferPointer(utf8))
                }
            }.get()
        }
        #expect(try parse("1796008657000") == 1_796_008_657_000)
        #expect(try parse("-5") == -5)
        #expect(try parse("2026-11-30T03:17:37Z") == 1_796_008_657_000)
        #expect(throws: TimestampParseError.self) { try parse("99999999999999999999") }
        #expect(throws: TimestampParseError.self) { try parse("1796008657000.5") }
    }
}
