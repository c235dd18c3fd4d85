/// One SQL value, boxed. Used for literals, tests and output, never per row on a hot path:
/// batches keep their values in typed columns.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int64(Int64)
    case double(Double)
    case string(String)
    /// Milliseconds since the Unix epoch, UTC.
    case timestamp(Int64)

    /// True for SQL NULL.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The value's type; nil for NULL, which fits any type.
    public var type: DataType? {
        switch self {
        case .null: nil
        case .bool: .bool
        case .int64: .int64
        case .double: .double
        case .string: .string
        case .timestamp: .timestamp
        }
    }

    /// A readable rendering for messages and tests (timestamps as epoch milliseconds).
    public var description: String {
        switch self {
        case .null: "NULL"
        case .bool(let value): value ? "true" : "false"
        case .int64(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): "'\(value)'"
        case .timestamp(let value): "timestamp(\(value))"
        }
    }
}
