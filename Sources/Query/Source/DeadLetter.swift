/// Why a record went to the dead-letter topic instead of into the job.
public enum DeadLetterReason: Sendable, Hashable, CustomStringConvertible {
    /// The value is not well-formed in the source's format (JSON, CSV, combined log); the detail
    /// says what and at which byte.
    case malformed(String)
    /// The value is not valid UTF-8.
    case invalidUTF8
    /// The event-time field is missing or null.
    case missingEventTime
    /// The event-time field is neither epoch milliseconds nor an ISO-8601 timestamp.
    case badEventTime(String)
    /// A field's value cannot be cast to its column's type.
    case badValue(column: String, detail: String)
    /// A null value (tombstone), which no format accepts.
    case nullValue
    /// The row's event time was below the watermark when it arrived.
    case late(eventTimeMs: Int64, watermarkMs: Int64)

    /// A short machine-friendly tag: `malformed`, `invalid_utf8`, `missing_event_time`,
    /// `bad_event_time`, `bad_value`, `null_value`, `late`.
    public var tag: String {
        switch self {
        case .malformed: "malformed"
        case .invalidUTF8: "invalid_utf8"
        case .missingEventTime: "missing_event_time"
        case .badEventTime: "bad_event_time"
        case .badValue: "bad_value"
        case .nullValue: "null_value"
        case .late: "late"
        }
    }

    /// The tag and the detail, for people.
    public var description: String {
        switch self {
        case .malformed(let detail): "malformed: \(detail)"
        case .invalidUTF8: "invalid_utf8: the value is not valid UTF-8"
        case .missingEventTime: "missing_event_time: the event-time field is missing or null"
        case .badEventTime(let detail): "bad_event_time: \(detail)"
        case .badValue(let column, let detail): "bad_value: column \(column): \(detail)"
        case .nullValue: "null_value: the record has no value"
        case .late(let eventTimeMs, let watermarkMs):
            "late: event time \(eventTimeMs) ms is below the watermark \(watermarkMs) ms"
        }
    }
}

/// A record the job could not use, with everything needed to find and replay it.
public struct DeadLetter: Sendable, Hashable {
    /// The source partition.
    public var partition: Int32
    /// The record's offset in that partition.
    public var offset: Int64
    /// Why.
    public var reason: DeadLetterReason
    /// The record's value exactly as it was fetched (empty for a null value).
    public var raw: [UInt8]

    /// A dead letter.
    public init(partition: Int32, offset: Int64, reason: DeadLetterReason, raw: [UInt8]) {
        self.partition = partition
        self.offset = offset
        self.reason = reason
        self.raw = raw
    }
}
