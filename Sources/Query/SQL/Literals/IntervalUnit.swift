/// The time units an interval may use, with their length in milliseconds.
enum IntervalUnit {
    /// Every accepted spelling, lowercase, in the order errors list them.
    static let spellings: [(name: String, ms: Int64)] = [
        ("millisecond", 1), ("milliseconds", 1), ("ms", 1),
        ("second", 1_000), ("seconds", 1_000), ("sec", 1_000), ("secs", 1_000), ("s", 1_000),
        ("minute", 60_000), ("minutes", 60_000), ("min", 60_000), ("mins", 60_000),
        ("hour", 3_600_000), ("hours", 3_600_000), ("h", 3_600_000),
        ("day", 86_400_000), ("days", 86_400_000), ("d", 86_400_000),
    ]

    /// Milliseconds in one `unit` (any case); nil for an unknown unit.
    static func milliseconds(_ unit: String) -> Int64? {
        let lowered = unit.lowercased()
        return spellings.first { $0.name == lowered }?.ms
    }

    /// The valid spellings, for error messages.
    static var validList: String { spellings.map(\.name).joined(separator: ", ") }

    /// `count` units in whole milliseconds, or a reason why not (a fraction of a millisecond,
    /// or more than about 285,000 years, past which doubles stop being exact).
    static func total(_ count: Double, unitMs: Int64) -> Result<Int64, IntervalProblem> {
        let ms = count * Double(unitMs)
        guard ms.isFinite, ms <= 9e15 else { return .failure(.tooLarge) }
        let rounded = ms.rounded()
        guard abs(ms - rounded) < 1e-6 else { return .failure(.fractionalMillisecond) }
        return .success(Int64(rounded))
    }
}

/// Why an interval's amount is unusable.
enum IntervalProblem: Error {
    case tooLarge
    case fractionalMillisecond

    var message: String {
        switch self {
        case .tooLarge: "is too large"
        case .fractionalMillisecond: "is not a whole number of milliseconds"
        }
    }
}
