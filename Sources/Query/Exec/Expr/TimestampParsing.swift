/// Text to a TIMESTAMP (epoch ms, UTC): epoch milliseconds as an integer, or ISO-8601
/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH[:MM]]`, UTC unless a zone says otherwise.
/// Fractions finer than a millisecond are truncated.
enum TimestampParsing {
    static func parse(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let text = TextParsing.trimmed(raw)
        guard !text.isEmpty else { return nil }
        if text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) || (text[0] == UInt8(ascii: "-") && text.count > 1) {
            if let ms = TextParsing.int64(text), !text.contains(UInt8(ascii: ".")) { return ms }
        }
        var cursor = Cursor(text: text)
        return cursor.timestamp()
    }

    private struct Cursor {
        let text: UnsafeRawBufferPointer
        var index = 0

        mutating func timestamp() -> Int64? {
            guard let year = year(), take("-"), let month = digits(2), take("-"), let day = digits(2) else {
                return nil
            }
            guard (1...12).contains(month), day >= 1, day <= CivilTime.daysInMonth(year: year, month: month) else {
                return nil
            }
            let (midnight, overflow) = CivilTime.days(year: year, month: month, day: day)
                .multipliedReportingOverflow(by: CivilTime.msPerDay)
            guard !overflow else { return nil }
            if index == text.count { return midnight }
            guard take("T") || take("t") || take(" ") else { return nil }
            guard let clock = timeOfDay(), let offset = zoneOffset(), index == text.count else { return nil }
            // Nine-digit years put these near the ends of Int64; a time that does not fit is no time.
            let (local, overflowA) = midnight.addingReportingOverflow(clock)
            let (utc, overflowB) = local.subtractingReportingOverflow(offset)
            return overflowA || overflowB ? nil : utc
        }

        /// Four digits, or ISO-8601's expanded form: a sign and four to nine digits.
        private mutating func year() -> Int64? {
            let negative = take("-")
            guard negative || take("+") else { return digits(4) }
            var count = 4
            while count < 9 && index + count < text.count && TextParsing.digitValue(text[index + count]) != nil {
                count += 1
            }
            guard let magnitude = digits(count) else { return nil }
            return negative ? -magnitude : magnitude
        }

        /// `HH:MM[:SS[.fraction]]` in ms.
        private mutating func timeOfDay() -> Int64? {
            guard let hour = digits(2), take(":"), let minute = digits(2), hour <= 23, minute <= 59 else { return nil }
            var ms = hour * CivilTime.msPerHour + minute * CivilTime.msPerMinute
            guard take(":") else { return ms }
            guard let second = digits(2), second <= 59 else { return nil }
            ms += second * CivilTime.msPerSecond
            guard take(".") else { return ms }
            var scale: Int64 = 100
            var fractionDigits = 0
            while index < text.count, let digit = TextParsing.digitValue(text[index]), fractionDigits < 9 {
                ms += digit * scale
                scale /= 10
                fractionDigits += 1
                index += 1
            }
            return fractionDigits > 0 ? ms : nil
        }

        /// `Z`, `±HH`, `±HH:MM`, `±HHMM` or nothing (UTC), as ms east of UTC.
        private mutating func zoneOffset() -> Int64? {
            if index == text.count || take("Z") || take("z") { return 0 }
            let sign: Int64
            if take("+") {
                sign = 1
            } else if take("-") {
                sign = -1
            } else {
                return nil
            }
            guard let hours = digits(2), hours <= 18 else { return nil }
            _ = take(":")
            let minutes = index < text.count ? digits(2) : 0
            guard let minutes, minutes <= 59 else { return nil }
            return sign * (hours * CivilTime.msPerHour + minutes * CivilTime.msPerMinute)
        }

        private mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard index < text.count, text[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        private mutating func digits(_ count: Int) -> Int64? {
            guard index + count <= text.count else { return nil }
            var value: Int64 = 0
            for offset in 0..<count {
                guard let digit = TextParsing.digitValue(text[index + offset]) else { return nil }
                value = value * 10 + digit
            }
            index += count
            return value
        }
    }
}
