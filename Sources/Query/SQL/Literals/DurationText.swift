/// Milliseconds shown the way people write intervals: `10 seconds`, `1500 milliseconds`.
enum DurationText {
    static func format(_ ms: Int64) -> String {
        let units: [(name: String, ms: Int64)] = [
            ("day", 86_400_000), ("hour", 3_600_000), ("minute", 60_000), ("second", 1_000),
        ]
        for unit in units where ms >= unit.ms && ms % unit.ms == 0 {
            let count = ms / unit.ms
            return "\(count) \(unit.name)\(count == 1 ? "" : "s")"
        }
        return "\(ms) millisecond\(ms == 1 ? "" : "s")"
    }
}
