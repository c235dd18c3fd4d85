/// Why a timestamp's text is not one Spate accepts; offsets count bytes from the text's start.
public enum TimestampParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is empty.
    case empty
    /// A digit was expected at `at`.
    case expectedDigit(at: Int)
    /// The byte `expected` (an ASCII character) was expected at `at`.
    case expectedCharacter(UInt8, at: Int)
    /// A field is outside its range (month 13, February 30, hour 24, an offset of 25 hours...).
    case outOfRange(field: TimestampField, value: Int64)
    /// The three-letter month name at `at` is not Jan...Dec.
    case unknownMonth(at: Int)
    /// More than 9 fraction digits at `at`.
    case tooManyFractionDigits(at: Int)
    /// The timestamp ended before `at`, where more text follows.
    case trailingCharacters(at: Int)
    /// The text is too long to be a timestamp.
    case tooLong(bytes: Int)

    /// What went wrong, for dead letters and error messages.
    public var description: String {
        switch self {
        case .empty: "empty timestamp"
        case .expectedDigit(let at): "expected a digit at byte \(at)"
        case .expectedCharacter(let byte, let at): "expected '\(Character(Unicode.Scalar(byte)))' at byte \(at)"
        case .outOfRange(let field, let value): "\(field.rawValue) \(value) is out of range"
        case .unknownMonth(let at): "unknown month name at byte \(at)"
        case .tooManyFractionDigits(let at): "more than 9 fraction digits at byte \(at)"
        case .trailingCharacters(let at): "unexpected text after the timestamp at byte \(at)"
        case .tooLong(let bytes): "\(bytes) bytes is too long for a timestamp"
        }
    }
}

/// The fields of a timestamp that have a range.
public enum TimestampField: String, Sendable, Hashable {
    case month, day, hour, minute, second
    case offsetHour = "offset hour"
    case offsetMinute = "offset minute"
}
