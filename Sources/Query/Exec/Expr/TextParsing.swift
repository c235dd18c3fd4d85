/// Parsing of trimmed UTF-8 text into SQL values, as Spark's casts accept it. Every function
/// returns nil for text it does not accept (the cast then yields NULL).
enum TextParsing {
    /// The bytes without leading and trailing ASCII whitespace.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    /// `[+-]digits[.digits]`; a fraction is truncated away as Spark does; overflow is nil.
    static func int64(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let text = trimmed(raw)
        var index = 0
        var negative = false
        if index < text.count && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        var value: Int64 = 0
        var digits = 0
        while index < text.count, let digit = digitValue(text[index]) {
            // Accumulate negatively so Int64.min parses.
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = times.subtractingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
            digits += 1
            index += 1
        }
        if index < text.count && text[index] == UInt8(ascii: ".") {
            index += 1
            while index < text.count, digitValue(text[index]) != nil { index += 1 }
        }
        guard digits > 0, index == text.count else { return nil }
        if negative { return value }
        return value == Int64.min ? nil : -value
    }

    @inline(__always)
    static func digitValue(_ byte: UInt8) -> Int64? {
        byte >= 0x30 && byte <= 0x39 ? Int64(byte - 0x30) : nil
    }

    /// A decimal or scientific number, `Infinity`, `-Infinity` or `NaN` (case-insensitive).
    static func double(_ raw: UnsafeRawBufferPointer) -> Double? {
        let text = trimmed(raw)
        guard !text.isEmpty, text.count <= 400 else { return nil }
        // Swift also reads hex floats and `nan(...)`; Spark reads neither, so only these bytes pass.
        for byte in text {
            switch byte {
            case 0x30...0x39, UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"),
                UInt8(ascii: "E"):
                continue
            default:
                return named(text)
            }
        }
        return Double(String(decoding: text, as: UTF8.self))
    }

    private static func named(_ text: UnsafeRawBufferPointer) -> Double? {
        switch String(decoding: text, as: UTF8.self).lowercased() {
        case "nan": .nan
        case "infinity", "+infinity", "inf", "+inf": .infinity
        case "-infinity", "-inf": -.infinity
        default: nil
        }
    }

    /// `t true y yes 1` and `f false n no 0`, case-insensitive, as Spark.
    static func bool(_ raw: UnsafeRawBufferPointer) -> Bool? {
        let text = trimmed(raw)
        guard text.count <= 5 else { return nil }
        switch String(decoding: text, as: UTF8.self).lowercased() {
        case "t", "true", "y", "yes", "1": return true
        case "f", "false", "n", "no", "0": return false
        default: return nil
        }
    }
}
