/// The ISO-8601 form nearly every event carries, `YYYY-MM-DD?HH:MM:SS[.fff][Z|±HH:MM]`, read at
/// fixed positions with no cursor and no throwing. Anything else, and any field out of range,
/// returns nil and goes to the general parser, which names the error.
extension TimestampCodec {
    @inline(__always)
    static func parseCommonISO8601(_ text: UnsafeRawBufferPointer) -> Int64? {
        let count = text.count
        guard count >= 19, let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        @inline(__always) func digit(_ index: Int) -> Int64 { Int64(base[index] &- UInt8(ascii: "0")) }
        @inline(__always) func isDigit(_ index: Int) -> Bool { base[index] &- UInt8(ascii: "0") < 10 }
        let separator = base[10]
        guard
            base[4] == UInt8(ascii: "-"), base[7] == UInt8(ascii: "-"), base[13] == UInt8(ascii: ":"),
            base[16] == UInt8(ascii: ":"),
            separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
            isDigit(0), isDigit(1), isDigit(2), isDigit(3), isDigit(5), isDigit(6), isDigit(8), isDigit(9),
            isDigit(11), isDigit(12), isDigit(14), isDigit(15), isDigit(17), isDigit(18)
        else { return nil }
        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        let month = digit(5) * 10 + digit(6)
        let day = digit(8) * 10 + digit(9)
        let hour = digit(11) * 10 + digit(12)
        let minute = digit(14) * 10 + digit(15)
        let second = digit(17) * 10 + digit(18)
        guard month >= 1 && month <= 12, day >= 1, hour <= 23, minute <= 59, second <= 59,
            day <= CivilCalendar.daysInMonth(year: year, month: month)
        else { return nil }
        var position = 19
        var fractionMs: Int64 = 0
        if count - position >= 4 && base[position] == UInt8(ascii: ".") {
            guard isDigit(position + 1), isDigit(position + 2), isDigit(position + 3) else { return nil }
            fractionMs = digit(position + 1) * 100 + digit(position + 2) * 10 + digit(position + 3)
            position += 4
        }
        guard let offsetMs = commonOffsetMs(base + position, count - position) else { return nil }
        let msOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + fractionMs
        return CivilCalendar.days(year: year, month: month, day: day) * CivilCalendar.dayMs + msOfDay - offsetMs
    }

    /// Nothing, `Z`, `z` or `±HH:MM` (hours 0...18) as exactly the `count` bytes at `start`, in
    /// milliseconds east of UTC; else nil.
    @inline(__always)
    static func commonOffsetMs(_ start: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        if count == 0 { return 0 }
        if count == 1 { return start[0] | 0x20 == UInt8(ascii: "z") ? 0 : nil }
        guard count == 6, start[0] == UInt8(ascii: "+") || start[0] == UInt8(ascii: "-"), start[3] == UInt8(ascii: ":")
        else { return nil }
        let digits = (start[1] &- UInt8(ascii: "0"), start[2] &- UInt8(ascii: "0"))
        let minuteDigits = (start[4] &- UInt8(ascii: "0"), start[5] &- UInt8(ascii: "0"))
        guard digits.0 < 10, digits.1 < 10, minuteDigits.0 < 10, minuteDigits.1 < 10 else { return nil }
        let hours = Int64(digits.0) * 10 + Int64(digits.1)
        let minutes = Int64(minuteDigits.0) * 10 + Int64(minuteDigits.1)
        guard hours <= 18, minutes <= 59 else { return nil }
        let offsetMs = (hours * 60 + minutes) * 60_000
        return start[0] == UInt8(ascii: "-") ? -offsetMs : offsetMs
    }
}
