/// The fields of the Apache/Nginx combined log format
/// `%h %l %u [%t] "%r" %>s %b "%{Referer}i" "%{User-agent}i"`, by the column names that select them.
public enum CombinedLogField: Int, Sendable, CaseIterable {
    case ip, ident, user, ts, method, url, `protocol`, status, bytes, referrer, userAgent

    /// The column name that selects the field.
    public var columnName: String {
        switch self {
        case .ip: "ip"
        case .ident: "ident"
        case .user: "user"
        case .ts: "ts"
        case .method: "method"
        case .url: "url"
        case .protocol: "protocol"
        case .status: "status"
        case .bytes: "bytes"
        case .referrer: "referrer"
        case .userAgent: "user_agent"
        }
    }

    /// The field a column called `name` (any case) selects, or nil: such a column is always NULL.
    public init?(columnName name: String) {
        let lowered = name.lowercased()
        guard let field = Self.allCases.first(where: { $0.columnName == lowered }) else { return nil }
        self = field
    }

    /// Fields where a lone `-` means "no value" (NULL).
    var dashIsNull: Bool { self == .ident || self == .user || self == .bytes || self == .referrer }
}

/// Where each field of one log line sits: offsets into the line, and whether a quoted field
/// holds backslash escapes.
struct CombinedLogFields {
    var starts = [Int](repeating: 0, count: CombinedLogField.allCases.count)
    var ends = [Int](repeating: 0, count: CombinedLogField.allCases.count)
    var escaped = [Bool](repeating: false, count: CombinedLogField.allCases.count)
    /// False for `method`, `url` and `protocol` when the request line lacks them (`"-"`, HTTP/0.9).
    var present = [Bool](repeating: true, count: CombinedLogField.allCases.count)

    mutating func set(_ field: CombinedLogField, _ start: Int, _ end: Int, escaped: Bool = false, present: Bool = true)
    {
        starts[field.rawValue] = start
        ends[field.rawValue] = end
        self.escaped[field.rawValue] = escaped
        self.present[field.rawValue] = present
    }
}
