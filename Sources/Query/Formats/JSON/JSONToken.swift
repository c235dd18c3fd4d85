/// Where the value of a wanted field sits in a JSON record, as the scanner found it.
struct JSONToken {
    enum Kind: UInt8 {
        /// The field did not occur.
        case absent
        case null
        /// A string without escapes: its bytes are its value.
        case string
        /// A string with backslash escapes, to unescape before use.
        case escapedString
        /// A number without fraction or exponent.
        case integer
        /// A number with a fraction or an exponent.
        case number
        case trueLiteral
        case falseLiteral
        case object
        case array
    }

    var kind: Kind
    /// 2 when the key matched the column's name exactly, 1 when only case-insensitively, 0 when absent.
    var rank: UInt8 = 0
    /// The value's bytes as offsets into the record: a string's bytes exclude its quotes.
    var start: Int32
    var end: Int32
    /// An `.integer` of at most 18 digits (which cannot overflow), accumulated while scanning;
    /// `integerValue` is then its value.
    var integerIsExact = false
    var integerValue: Int64 = 0

    static let absent = JSONToken(kind: .absent, start: 0, end: 0)

    /// The JSON kind in words, for conversion errors.
    var kindName: StaticString {
        switch kind {
        case .absent, .null: "null"
        case .string, .escapedString: "string"
        case .integer, .number: "number"
        case .trueLiteral, .falseLiteral: "boolean"
        case .object: "object"
        case .array: "array"
        }
    }
}

/// Why a record is not one well-formed JSON object; `offset` counts bytes from the record's start.
struct JSONSyntaxError: Error {
    let message: StaticString
    let offset: Int
    /// True when the bytes are not UTF-8 (inside a string), which outranks every syntax error.
    let isInvalidUTF8: Bool

    var detail: String { "\(message) at byte \(offset)" }
}

/// Limits of the JSON reader.
public enum JSONLimits {
    /// Objects and arrays nest at most this deep, the record's own object included; deeper
    /// records are malformed (bounded work and no unbounded stack, whatever the input).
    public static let nestingDepthMax = 256
}
