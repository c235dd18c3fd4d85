/// ISO-8601 output: what sinks write for TIMESTAMP values.
extension TimestampCodec {
    /// Most bytes `writeISO8601` produces (a year of Int64 milliseconds has at most 9 digits).
    public static let iso8601BytesMax = 32

    /// Writes `epochMs` as ISO-8601 UTC with milliseconds, `2026-11-30T03:17:37.000Z`, at `output`
    /// (room for `iso8601BytesMax` bytes); returns the byte count. Years outside 0...9999 get a sign
    /// and six or more digits (`+275760-09-13T00:00:00.000Z`), as JavaScript's `toISOString` writes them.
    public static func writeISO8601(epochMs: Int64, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let (days, msOfDay) = CivilCalendar.split(epochMs: epochMs)
        let (year, month, day) = CivilCalendar.date(days: days)
        var count: Int
        if year >= 0 && year <= 9999 {
            count = DecimalText.write(UInt64(year), width: 4, to: output)
        } else {
            output[0] = year < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            count = 1 + DecimalText.write(year.magnitude, width: 6, to: output + 1)
        }
        count = field(UInt8(ascii: "-"), month, width: 2, output, count)
        count = field(UInt8(ascii: "-"), day, width: 2, output, count)
        count = field(UInt8(ascii: "T"), msOfDay / 3_600_000, width: 2, output, count)
        count = field(UInt8(ascii: ":"), msOfDay / 60_000 % 60, width: 2, output, count)
        count = field(UInt8(ascii: ":"), msOfDay / 1000 % 60, width: 2, output, count)
        count = field(UInt8(ascii: "."), msOfDay % 1000, width: 3, output, count)
        output[count] = UInt8(ascii: "Z")
        return count + 1
    }

    /// Writes `separator` and `value` (non-negative, `width` digits) at `output + at`; returns the new end.
    @inline(__always)
    static func field(_ separator: UInt8, _ value: Int64, width: Int, _ output: UnsafeMutablePointer<UInt8>, _ at: Int)
        -> Int
    {
        output[at] = separator
        return at + 1 + DecimalText.write(UInt64(value), width: width, to: output + at + 1)
    }

    /// Appends `epochMs` as ISO-8601 UTC with milliseconds (see `writeISO8601`).
    public static func appendISO8601(epochMs: Int64, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: iso8601BytesMax) { scratch in
            let count = writeISO8601(epochMs: epochMs, to: scratch.baseAddress!)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<count]))
        }
    }

    /// `epochMs` as ISO-8601 UTC with milliseconds.
    public static func formatISO8601(epochMs: Int64) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: iso8601BytesMax) { scratch in
            let count = writeISO8601(epochMs: epochMs, to: scratch.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: scratch[0..<count]), as: UTF8.self)
        }
    }
}
