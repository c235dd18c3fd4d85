/// Decimal number text, `[+-]?digits[.digits][(e|E)[+-]?digits]` with at least one digit, as
/// Int64 or Double: the conversions behind JSON numbers, JSON strings holding numbers, CSV fields
/// and combined-log fields. Exact: a BIGINT accepts `2e2` and `200.0` (whole values) but refuses
/// `2.5`, and nothing is rounded or clamped.
enum NumberText {
    /// The text as an Int64 when it is a whole number in range.
    static func int64(_ text: UnsafeRawBufferPointer) throws(ConversionFailure) -> Int64 {
        // Fast path: plain digits that cannot overflow (timestamps, status codes, sizes).
        let count = text.count
        let start = count > 0 && (text[0] == UInt8(ascii: "-") || text[0] == UInt8(ascii: "+")) ? 1 : 0
        if count - start > 0 && count - start <= 18 {
            var value: Int64 = 0
            var index = start
            while index < count {
                let digit = text[index] &- UInt8(ascii: "0")
                if digit >= 10 { break }
                value = value &* 10 &+ Int64(digit)
                index += 1
            }
            if index == count { return text[0] == UInt8(ascii: "-") ? -value : value }
        }
        return try DecimalParts(text).int64()
    }

    /// The text as a Double; with `specials`, also `NaN`, `Inf`, `Infinity` with an optional sign.
    static func double(_ text: UnsafeRawBufferPointer, specials: Bool) throws(ConversionFailure) -> Double {
        if specials, let special = specialDouble(text) { return special }
        return try DecimalParts(text).double(text)
    }

    /// `NaN`, `[+-]Inf`, `[+-]Infinity` (the spellings Spark's CSV reader writes and reads).
    static func specialDouble(_ text: UnsafeRawBufferPointer) -> Double? {
        guard let first = text.first,
            first == UInt8(ascii: "N") || first == UInt8(ascii: "I")
                || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        else { return nil }
        let negative = first == UInt8(ascii: "-")
        let signLength = negative || first == UInt8(ascii: "+") ? 1 : 0
        let word = UnsafeRawBufferPointer(rebasing: text[signLength...])
        if signLength == 0 && word.elementsEqual("NaN".utf8) { return .nan }
        if word.elementsEqual("Inf".utf8) || word.elementsEqual("Infinity".utf8) {
            return negative ? -.infinity : .infinity
        }
        return nil
    }

    /// `true` or `false` in any case.
    static func bool(_ text: UnsafeRawBufferPointer) throws(ConversionFailure) -> Bool {
        func matches(_ word: StaticString) -> Bool {
            guard text.count == word.utf8CodeUnitCount else { return false }
            for index in 0..<text.count where text[index] | 0x20 != word.utf8Start[index] { return false }
            return true
        }
        if matches("true") { return true }
        if matches("false") { return false }
        throw .notABoolean
    }
}
