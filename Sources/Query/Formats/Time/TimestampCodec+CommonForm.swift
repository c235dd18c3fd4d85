/// The ISO-8601 form nearly every event carries, `YYYY-MM-DD?HH:MM:SS[.fff][Z|±HH:MM]`, read at
/// fixed positions with no cursor and no throwing. Anything else, and any field out of range,
/// returns nil and goes to the general parser, which names the error.
extension TimestampCodec {
    @inline(__always)
    static func parseCommonISO8601(_ text: UnsafeRawBufferPointer) -> Int64? {
        let count = text.count
        guard count >= 19, let raw = text.baseAddress else { return nil }
        // `YYYY-MM-`, `DD?HH:MM` and, overlapping it, `HH:MM:SS`: three words checked lane-wise
        // instead of fourteen digit tests and five punctuation tests one byte at a time.
        let date = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        let middle = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let clock = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 11, as: UInt64.self))
        let separator = UInt8(truncatingIfNeeded: middle >> 16)
        guard
            fits(
                date, digitLanes: 0x00FF_FF00_FFFF_FFFF, punctuationLanes: 0xFF00_00FF_0000_0000,
                punctuation: 0x2D00_002D_0000_0000),
            fits(middle, digitLanes: 0xFFFF, punctuationLanes: 0, punctuation: 0),
            fits(
                clock, digitLanes: 0xFFFF_00FF_FF00_FFFF, punctuationLanes: 0x0000_FF00_00FF_0000,
                punctuation: 0x0000_3A00_003A_0000),
            separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
        else { return nil }
        let year = lane(date, 0) * 1000 + lane(date, 1) * 100 + lane(date, 2) * 10 + lane(date, 3)
        let month = lane(date, 5) * 10 + lane(date, 6)
        let day = lane(middle, 0) * 10 + lane(middle, 1)
        let hour = lane(clock, 0) * 10 + lane(clock, 1)
        let minute = lane(clock, 3) * 10 + lane(clock, 4)
        let second = lane(clock, 6) * 10 + lane(clock, 7)
        guard month >= 1 && month <= 12, day >= 1, hour <= 23, minute <= 59, second <= 59,
            day <= CivilCalendar.daysInMonth(year: year, month: month)
        else { return nil }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        @inline(__always) func digit(_ index: Int) -> Int64 { Int64(base[index] &- UInt8(ascii: "0")) }
        @inline(__always) func isDigit(_ index: Int) -> Bool { base[index] &- UInt8(ascii: "0") < 10 }
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

    /// True when every byte lane of `word` in `digitLanes` holds an ASCII digit and the lanes in
    /// `punctuationLanes` hold `punctuation`. A digit lane is `0x3?` both as is and plus 6; a carry
    /// out of a lane comes only from a byte of 0xFA or more, which fails its own lane's test, and
    /// only moves up, so it cannot make a failing word pass.
    @inline(__always)
    static func fits(_ word: UInt64, digitLanes: UInt64, punctuationLanes: UInt64, punctuation: UInt64) -> Bool {
        let highNibbles = digitLanes & 0xF0F0_F0F0_F0F0_F0F0
        let digitHighs = digitLanes & 0x3030_3030_3030_3030
        return word & highNibbles == digitHighs && (word &+ 0x0606_0606_0606_0606) & highNibbles == digitHighs
            && word & punctuationLanes == punctuation
    }

    /// The digit in byte lane `index` of `word` (a lane `fits` checked).
    @inline(__always)
    static func lane(_ word: UInt64, _ index: Int) -> Int64 {
        Int64(truncatingIfNeeded: (word &>> UInt64(8 * index)) & 0x0F)
    }
}
