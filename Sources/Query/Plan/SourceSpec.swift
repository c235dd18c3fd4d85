/// How a stream's records are encoded.
public enum SourceFormat: Sendable, Hashable {
    /// One JSON object per record; fields are matched to columns by name (case-insensitive).
    case json
    /// One CSV line per record, columns in declared order.
    case csv(delimiter: UInt8, hasHeader: Bool)
    /// The Apache/Nginx combined access-log format, matched to columns by name
    /// (ip, ident, user, ts, method, url, protocol, status, bytes, referrer, user_agent).
    case combinedLog
}

/// Where a stream starts when it has no checkpoint yet.
public enum StartingOffsets: String, Sendable, Hashable {
    /// From the first offset of each partition.
    case earliest
    /// From the end: only records produced after the job starts.
    case latest
}

/// A `CREATE STREAM`: the topic it reads, how records decode, and event-time settings.
public struct SourceSpec: Sendable, Hashable {
    /// The stream's name in SQL.
    public var name: String
    /// The topic to read.
    public var topic: String
    /// The record encoding.
    public var format: SourceFormat
    /// The declared columns.
    public var schema: Schema
    /// The event-time column (an index into `schema`, of type TIMESTAMP), if any.
    public var eventTimeColumn: Int?
    /// How far behind the largest event time the watermark trails; nil means no watermark
    /// (then windowed aggregations can only run in update or complete mode).
    public var watermarkDelayMs: Int64?
    /// Where to start without a checkpoint.
    public var startingOffsets: StartingOffsets
    /// Every other `WITH` option, lowercased keys, kept for the runtime (e.g. `max_records_per_batch`).
    public var options: [String: String]

    /// A source spec.
    public init(
        name: String, topic: String, format: SourceFormat, schema: Schema, eventTimeColumn: Int?,
        watermarkDelayMs: Int64?, startingOffsets: StartingOffsets = .earliest, options: [String: String] = [:]
    ) {
        self.name = name
        self.topic = topic
        self.format = format
        self.schema = schema
        self.eventTimeColumn = eventTimeColumn
        self.watermarkDelayMs = watermarkDelayMs
        self.startingOffsets = startingOffsets
        self.options = options
    }
}
