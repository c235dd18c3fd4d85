/// How a file sink encodes rows.
public enum FileFormat: String, Sendable, Hashable {
    /// One JSON object per line; timestamps as ISO-8601 UTC strings.
    case jsonl
    /// A header line, then one CSV line per row.
    case csv
}

/// Where a job's results go. Every sink is idempotent by batch id.
public enum SinkKind: Sendable, Hashable {
    /// Printed rows (the driver's or local runner's standard output).
    case console
    /// Files under `path`: one file per batch plus a manifest of committed batches.
    case file(path: String, format: FileFormat)
    /// Records in `topic`, JSON values, keyed by column `keyColumn` (an index into the output
    /// schema) when given; each record carries its batch id in a header.
    case topic(topic: String, keyColumn: Int?)
}

/// A `CREATE SINK`.
public struct SinkSpec: Sendable, Hashable {
    /// The sink's name in SQL.
    public var name: String
    /// Where rows go.
    public var kind: SinkKind
    /// Every `WITH` option, lowercased keys.
    public var options: [String: String]

    /// A sink spec.
    public init(name: String, kind: SinkKind, options: [String: String] = [:]) {
        self.name = name
        self.kind = kind
        self.options = options
    }
}

/// When rows of a streaming aggregation are written, as in Spark.
public enum OutputMode: String, Sendable, Hashable {
    /// Each window's final row, once, when the watermark passes the window's end.
    case append
    /// Rows of every group that changed in the batch.
    case update
    /// Every group's current row, every batch (small unwindowed results only).
    case complete
}
