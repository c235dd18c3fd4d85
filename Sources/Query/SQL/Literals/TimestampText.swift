/// Parses ISO-8601 timestamps (`2026-01-01`, `2026-01-01 00:00:00`, `2026-01-01T00:00:00.250Z`,
/// `...+02:00`) into milliseconds since the Unix epoch, UTC; a time without a zone is UTC.
enum TimestampText {
    /// Epoch milliseconds of `text`, or nil when it is not such a timestamp.
    static func parse(_ text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2),
            scanner.skip("-"), let day = scanner.number(digits: 2),
            (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        var ms = CivilCalendar.days(year: year, month: month, day: day) * 86_400_000
        if scanner.atEnd { return ms }
        guard scanner.skip("T") || scanner.skip(" "), let hour = scanner.number(digits: 2), hour < 24,
            scanner.skip(":"), let minute = scanner.number(digits: 2), minute < 60
        else { return nil }
        var second: Int64 = 0
        var fractionMs: Int64 = 0
        if scanner.skip(":") {
            guard let parsed = scanner.number(digits: 2), parsed < 60 else { return nil }
            second = parsed
            if scanner.skip(".") {
                guard let fraction = scanner.fractionMs() else { return nil }
                fractionMs = fraction
            }
        }
        ms += ((hour * 60 + minute) * 60 + second) * 1000 + fractionMs
        guard let offsetMs = scanner.zoneOffsetMs(), scanner.atEnd else { return nil }
        return ms - offsetMs
    }

    /// `2026-01-01 00:00:00` (with `.250` when there are milliseconds), UTC.
    static func format(_ ms: Int64) -> String {
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let msOfDay = ms - days * 86_400_000
        let (year, month, day) = CivilCalendar.date(days: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let seconds = msOfDay / 1000
        var text =
            "\(year)-\(two(month))-\(two(day)) \(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        let fraction = msOfDay % 1000
        if fraction != 0 { text += "." + String(String(fraction + 1000).dropFirst()) }
        return text
    }
}

/// A cursor over ASCII digits and separators.
private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, index < bytes.count, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    /// Exactly `digits` decimal digits.
    mutating func number(digits: Int) -> Int64? {
        guard index + digits <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<index + digits] {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        index += digits
        return value
    }

    /// One or more fraction digits, truncated to milliseconds.
    mutating func fractionMs() -> Int64? {
        var ms: Int64 = 0
        var count = 0
        while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
            if count < 3 { ms = ms * 10 + Int64(bytes[index] - 0x30) }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) { ms *= 10 }
        return ms
    }

    /// `Z`, `±HH:MM`, `±HHMM`, `±HH`, or nothing (UTC).
    mutating func zoneOffsetMs() -> Int64? {
        if atEnd || skip("Z") || skip("z") { return 0 }
        let sign: Int64
        if skip("+") { sign = 1 } else if skip("-") { sign = -1 } else { return nil }
        guard let hours = number(digits: 2), hours < 24 else { return nil }
        var minutes: Int64 = 0
        if !atEnd {
            _ = skip(":")
            guard let parsed = number(digits: 2), parsed < 60 else { return nil }
            minutes = parsed
        }
        return sign * (hours * 60 + minutes) * 60_000
    }
}
