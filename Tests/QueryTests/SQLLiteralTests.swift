import Testing

@testable import Query

/// Interval and timestamp text, checked against values worked out by hand.
@Suite struct SQLLiteralTests {
    private func interval(_ text: String) -> Int64? {
        if case .success(let ms) = IntervalText.parse(text) { return ms }
        return nil
    }

    @Test func intervalUnits() {
        let cases: [(String, Int64)] = [
            ("1 millisecond", 1), ("250 milliseconds", 250), ("5 ms", 5), ("1 second", 1_000), ("10 seconds", 10_000),
            ("3 sec", 3_000), ("2 secs", 2_000), ("7 s", 7_000), ("1 minute", 60_000), ("2 minutes", 120_000),
            ("5 min", 300_000), ("3 mins", 180_000), ("1 hour", 3_600_000), ("2 hours", 7_200_000),
            ("4 h", 14_400_000), ("1 day", 86_400_000), ("2 days", 172_800_000), ("1 d", 86_400_000),
        ]
        for (text, ms) in cases { #expect(interval(text) == ms, "\(text)") }
    }

    @Test func intervalForms() {
        #expect(interval("10s") == 10_000)
        #expect(interval("  10   SECONDS ") == 10_000)
        #expect(interval("interval 5 minutes") == 300_000)
        #expect(interval("1 minute 30 seconds") == 90_000)
        #expect(interval("1.5 seconds") == 1_500)
        #expect(interval("0.25 h") == 900_000)
        #expect(interval("0 seconds") == 0)
    }

    @Test func badIntervals() {
        for text in [
            "", "interval", "10", "seconds", "ten seconds", "-1 seconds", "1 fortnight", "1.2.3 s", "1 s 2",
            "0.5 ms", "1e3 s", "99999999999999 days",
        ] {
            #expect(interval(text) == nil, "\(text)")
        }
    }

    @Test func timestamps() {
        // Epoch values worked out by hand: 2026-01-01 is 20,454 days after 1970-01-01, 2024-02-29 is 19,782.
        let day: Int64 = 86_400_000
        let newYear: Int64 = 1_767_225_600_000
        let oneTwoThree: Int64 = (1 * 60 + 2) * 60_000 + 3_000
        #expect(TimestampText.parse("1970-01-01") == 0)
        #expect(TimestampText.parse("2026-01-01") == 20_454 * day)
        #expect(TimestampText.parse("2026-01-01 00:00:00") == newYear)
        #expect(TimestampText.parse("2026-01-01T01:02:03Z") == newYear + oneTwoThree)
        #expect(TimestampText.parse("2026-01-01T01:02:03.5") == newYear + oneTwoThree + 500)
        #expect(TimestampText.parse("2026-01-01T01:02:03.123456") == newYear + oneTwoThree + 123)
        #expect(TimestampText.parse("2026-01-01 02:00:00+02:00") == newYear)
        #expect(TimestampText.parse("2025-12-31T19:00-0500") == newYear)
        #expect(TimestampText.parse("2024-02-29") == 19_782 * day)
        #expect(TimestampText.parse("1969-12-31 23:59:59") == -1_000)
    }

    @Test func badTimestamps() {
        for text in [
            "", "2026", "2026-1-01", "2026-13-01", "2026-02-29", "2026-04-31", "2026-01-01 24:00:00",
            "2026-01-01 10:60", "2026-01-01T10", "2026-01-01 10:00:00.", "2026-01-01 10:00:00 UTC", "yesterday",
        ] {
            #expect(TimestampText.parse(text) == nil, "\(text)")
        }
    }

    @Test func timestampFormatRoundTrips() {
        #expect(TimestampText.format(0) == "1970-01-01 00:00:00")
        #expect(TimestampText.format(1_767_225_600_000 + 3_723_050) == "2026-01-01 01:02:03.050")
        #expect(TimestampText.format(-1_000) == "1969-12-31 23:59:59")
        var random = SQLFuzzTests.SeededRandom(state: 7)
        for _ in 0..<1_000 {
            let ms = Int64.random(in: -5_000_000_000_000...5_000_000_000_000, using: &random)
            #expect(TimestampText.parse(TimestampText.format(ms)) == ms)
        }
    }

    @Test func durationText() {
        #expect(DurationText.format(10_000) == "10 seconds")
        #expect(DurationText.format(60_000) == "1 minute")
        #expect(DurationText.format(90_000) == "90 seconds")
        #expect(DurationText.format(1_500) == "1500 milliseconds")
        #expect(DurationText.format(172_800_000) == "2 days")
    }
}
