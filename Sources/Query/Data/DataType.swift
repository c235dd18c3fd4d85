/// The physical types a column can hold. SQL's INT, INTEGER, SMALLINT and BIGINT all store as
/// `int64`; TIMESTAMP stores milliseconds since the Unix epoch (UTC) as `int64` too.
public enum DataType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case bool = 1
    case int64 = 2
    case double = 3
    case string = 4
    case timestamp = 5

    /// The SQL name shown in errors and schemas.
    public var description: String {
        switch self {
        case .bool: "BOOLEAN"
        case .int64: "BIGINT"
        case .double: "DOUBLE"
        case .string: "STRING"
        case .timestamp: "TIMESTAMP"
        }
    }

    /// True for the types arithmetic accepts.
    public var isNumeric: Bool { self == .int64 || self == .double }

    /// True when values live in `Column.int64s`.
    public var storesInt64: Bool { self == .int64 || self == .timestamp }
}
