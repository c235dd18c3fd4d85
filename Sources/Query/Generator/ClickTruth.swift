/// What a generated click event says, parsed: the ground truth tests and benchmarks compare
/// the decoder's output against.
public struct Click: Sendable, Hashable {
    /// Event time, epoch milliseconds.
    public var tsMs: Int64
    /// Client address, dotted IPv4.
    public var ip: String
    /// `u` and six digits.
    public var userId: String
    /// Path and query, as decoded (escapes resolved).
    public var url: String
    /// Nil when the event's referrer is JSON null.
    public var referrer: String?
    /// The client's user agent.
    public var userAgent: String
    /// HTTP status.
    public var status: Int64
    /// Response size in bytes.
    public var bytes: Int64
}

/// How a deliberately malformed line is broken.
public enum ClickDefect: String, Sendable, Hashable, CaseIterable {
    /// The JSON is cut short (never inside a UTF-8 sequence).
    case truncated
    /// A byte sequence that is not UTF-8 sits inside the user agent string.
    case invalidUTF8
    /// The `ts` field is absent.
    case missingTimestamp
    /// `ts` is neither epoch milliseconds nor ISO-8601 (`"yesterday"`, `"2026-02-30T..."`, `true`, `1.5`...).
    case badTimestamp
    /// `status` is not a whole number (`"OK"`, `""`, `true`, an object...).
    case statusNotNumber

    /// The dead-letter tag a decoder must give this line (`DeadLetterReason.tag`), or nil when
    /// the line decodes: it depends on which columns the job decodes and on whether `ts` is
    /// the stream's event-time column.
    public func deadLetterTag(decodedColumns: Set<String>, tsIsEventTime: Bool) -> String? {
        switch self {
        case .truncated: "malformed"
        case .invalidUTF8: "invalid_utf8"
        case .missingTimestamp: tsIsEventTime ? "missing_event_time" : nil
        case .badTimestamp: tsIsEventTime ? "bad_event_time" : decodedColumns.contains("ts") ? "bad_value" : nil
        case .statusNotNumber: decodedColumns.contains("status") ? "bad_value" : nil
        }
    }
}

/// One generated event: the fields it encodes and, for a malformed line, how it is broken
/// (then `click` holds what the event would have said).
public struct ClickTruth: Sendable, Hashable {
    /// What the event says (or, for a malformed line, would have said).
    public var click: Click
    /// How the line is broken; nil for a well-formed event.
    public var defect: ClickDefect?
}

/// A generated event with its bytes.
public struct GeneratedClick: Sendable {
    /// The record value: one JSON object, or a malformed line.
    public var value: [UInt8]
    /// Its ground truth.
    public var truth: ClickTruth
}
