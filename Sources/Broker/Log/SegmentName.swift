/// File names of a segment: the base offset as 20 zero-padded digits plus a suffix, as Kafka names them.
enum SegmentName {
    static let logSuffix = ".log"
    static let indexSuffix = ".index"
    static let timeIndexSuffix = ".timeindex"
    static let digits = 20

    /// `<base>` padded to 20 digits.
    static func stem(_ baseOffset: Int64) -> String {
        precondition(baseOffset >= 0, "segment base offsets are not negative")
        let text = String(baseOffset)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// Path of the file of `baseOffset` with `suffix` inside `directory`.
    static func path(_ directory: String, _ baseOffset: Int64, _ suffix: String) -> String {
        directory + "/" + stem(baseOffset) + suffix
    }

    /// The base offset named by `<20 digits><suffix>`, or nil for any other name.
    static func baseOffset(of name: String, suffix: String) -> Int64? {
        guard name.hasSuffix(suffix) else { return nil }
        let stem = name.dropLast(suffix.count)
        guard stem.count == digits, stem.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(stem)
    }
}
