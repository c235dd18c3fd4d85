/// Why a field's value cannot become a value of its column's type.
enum ConversionFailure: Error, Sendable {
    /// The text is not a decimal number.
    case notANumber
    /// A number with a fractional part where a whole number is needed.
    case notIntegral
    /// A number outside the range of `type`.
    case outOfRange(DataType)
    /// Neither `true` nor `false`.
    case notABoolean
    /// Text that is not a timestamp.
    case timestamp(TimestampParseError)
    /// A JSON value of a kind that never converts to `type` (an object for a BIGINT, ...).
    case wrongJSONKind(found: StaticString, type: DataType)
    /// NULL in a column declared NOT NULL.
    case nullInNotNullColumn

    /// The detail of a `badValue` / `badEventTime` dead letter.
    var detail: String {
        switch self {
        case .notANumber: "not a number"
        case .notIntegral: "not a whole number"
        case .outOfRange(let type): "out of range for \(type)"
        case .notABoolean: "not true or false"
        case .timestamp(let error): "not a timestamp: \(error)"
        case .wrongJSONKind(let found, let type): "a JSON \(found) does not convert to \(type)"
        case .nullInNotNullColumn: "NULL in a NOT NULL column"
        }
    }
}
