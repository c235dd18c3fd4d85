/// Parses interval strings such as `'10 seconds'`, `'1 minute 30 seconds'`, `'500ms'` or
/// `'interval 5 minutes'` (as Spark's window and trigger options accept them) into milliseconds.
enum IntervalText {
    /// Milliseconds of `text`, or a message saying what is wrong with it.
    static func parse(_ text: String) -> Result<Int64, IntervalTextError> {
        var words = splitAmounts(text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
        if words.first?.lowercased() == "interval" { words.removeFirst() }
        guard !words.isEmpty else { return .failure(.init("an empty interval; write e.g. '10 seconds'")) }
        guard words.count.isMultiple(of: 2) else {
            return .failure(
                .init("'\(text)' is not an interval: expected pairs of a number and a unit, e.g. '10 seconds'"))
        }
        var totalMs: Int64 = 0
        for pair in stride(from: 0, to: words.count, by: 2) {
            switch amount(words[pair], unit: words[pair + 1], in: text) {
            case .failure(let error): return .failure(error)
            case .success(let ms):
                let (sum, overflow) = totalMs.addingReportingOverflow(ms)
                guard !overflow, sum <= 9_000_000_000_000_000 else {
                    return .failure(.init("interval '\(text)' is too large"))
                }
                totalMs = sum
            }
        }
        return .success(totalMs)
    }

    /// One `number unit` pair in milliseconds.
    static func amount(_ number: String, unit: String, in text: String) -> Result<Int64, IntervalTextError> {
        guard let count = unsignedNumber(number) else {
            return .failure(.init("'\(number)' in interval '\(text)' is not a non-negative number"))
        }
        guard let unitMs = IntervalUnit.milliseconds(unit) else {
            return .failure(
                .init("unknown interval unit '\(unit)' in '\(text)'; valid units: \(IntervalUnit.validList)"))
        }
        switch IntervalUnit.total(count, unitMs: unitMs) {
        case .success(let ms): return .success(ms)
        case .failure(let problem): return .failure(.init("interval '\(text)' \(problem.message)"))
        }
    }

    /// Digits with at most one dot; no sign, no exponent.
    static func unsignedNumber(_ text: String) -> Double? {
        guard !text.isEmpty, text != ".", text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            text.filter({ $0 == "." }).count <= 1
        else { return nil }
        return Double(text)
    }

    /// `10s` is `10 s`: splits a word that starts with a number into the number and the rest.
    private static func splitAmounts(_ words: [String]) -> [String] {
        words.flatMap { word -> [String] in
            let digits = word.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !digits.isEmpty, digits.count < word.count else { return [word] }
            return [String(digits), String(word.dropFirst(digits.count))]
        }
    }
}

/// What is wrong with an interval string.
struct IntervalTextError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
