/// The pieces of decimal number text, found once and then read as an exact integer or a
/// correctly rounded double.
struct DecimalParts {
    let text: UnsafeRawBufferPointer
    var negative = false
    var integerDigits = 0..<0
    var fractionDigits = 0..<0
    /// The written exponent, clamped to ±10^7 (far beyond any finite Int64 or Double).
    var exponent: Int64 = 0

    /// Splits `text` or throws `.notANumber` when it is not `[+-]?digits[.digits][e[+-]digits]`.
    init(_ text: UnsafeRawBufferPointer) throws(ConversionFailure) {
        self.text = text
        var index = 0
        if index < text.count && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        integerDigits = Self.digitRun(text, from: index)
        index = integerDigits.upperBound
        if index < text.count && text[index] == UInt8(ascii: ".") {
            fractionDigits = Self.digitRun(text, from: index + 1)
            index = fractionDigits.upperBound
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else { throw .notANumber }
        if index < text.count && text[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < text.count && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            let run = Self.digitRun(text, from: index)
            guard !run.isEmpty else { throw .notANumber }
            for position in run { exponent = min(exponent * 10 + Int64(text[position] &- 48), 10_000_000) }
            if exponentNegative { exponent = -exponent }
            index = run.upperBound
        }
        guard index == text.count else { throw .notANumber }
    }

    static func digitRun(_ text: UnsafeRawBufferPointer, from start: Int) -> Range<Int> {
        var end = start
        while end < text.count && text[end] &- UInt8(ascii: "0") < 10 { end += 1 }
        return start..<end
    }

    /// Digit `k` of the integer digits followed by the fraction digits.
    func digit(_ k: Int) -> UInt64 {
        let position =
            k < integerDigits.count ? integerDigits.lowerBound + k : fractionDigits.lowerBound + k - integerDigits.count
        return UInt64(text[position] &- UInt8(ascii: "0"))
    }

    /// The significant digits (first to last non-zero) and the power of ten that scales them;
    /// nil when the value is zero.
    func significand() -> (first: Int, last: Int, scale: Int64)? {
        let total = integerDigits.count + fractionDigits.count
        var first = 0
        while first < total && digit(first) == 0 { first += 1 }
        guard first < total else { return nil }
        var last = total - 1
        while digit(last) == 0 { last -= 1 }
        let scale = exponent - Int64(fractionDigits.count) + Int64(total - 1 - last)
        return (first, last, scale)
    }

    /// The exact value as an Int64.
    func int64() throws(ConversionFailure) -> Int64 {
        guard let (first, last, scale) = significand() else { return 0 }
        guard scale >= 0 else { throw .notIntegral }
        guard Int64(last - first + 1) + scale <= 19 else { throw .outOfRange(.int64) }
        var magnitude: UInt64 = 0
        for k in first...last { magnitude = magnitude * 10 + digit(k) }
        for _ in 0..<scale {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw .outOfRange(.int64) }
            magnitude = product
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw .outOfRange(.int64) }
            return Int64(truncatingIfNeeded: 0 &- magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw .outOfRange(.int64) }
        return Int64(magnitude)
    }

    /// The correctly rounded Double: exact arithmetic when both the digits and the power of ten
    /// are exact doubles (Clinger's fast path), else the C library's correctly rounded strtod.
    func double(_ text: UnsafeRawBufferPointer) throws(ConversionFailure) -> Double {
        guard let (first, last, scale) = significand() else { return negative ? -0.0 : 0.0 }
        var result: Double
        if last - first < 15 && scale >= -22 && scale <= 22 {
            var magnitude: UInt64 = 0
            for k in first...last { magnitude = magnitude * 10 + digit(k) }
            let power = Self.powersOfTen[Int(scale.magnitude)]
            result = scale < 0 ? Double(magnitude) / power : Double(magnitude) * power
            if negative { result = -result }
        } else {
            // Rare (long or far-scaled numbers), so one String here is fine.
            let unsigned = text.first == UInt8(ascii: "+") ? UnsafeRawBufferPointer(rebasing: text[1...]) : text
            guard let parsed = Double(String(decoding: unsigned, as: UTF8.self)) else { throw .notANumber }
            result = parsed
        }
        guard result.isFinite else { throw .outOfRange(.double) }
        return result
    }

    /// 10^0 ... 10^22, every one exact in a Double.
    static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }
}
