import Query

/// Prints each batch's rows as a table, as Spark's console sink does. Batches without rows print
/// nothing. A replay after a driver crash prints the batch again: the console is for people.
public struct ConsoleSink: BatchSink {
    /// The job, named in each batch's heading.
    public let jobId: String
    let output: @Sendable (String) -> Void

    /// A console sink printing through `output`.
    public init(jobId: String, output: @escaping @Sendable (String) -> Void) {
        self.jobId = jobId
        self.output = output
    }

    public var description: String { "console" }

    public func write(batchId: Int64, rows: [RecordBatch]) throws(SinkError) {
        guard let merged = RecordBatches.concatenate(rows), merged.rowCount > 0 else { return }
        let rule = String(repeating: "-", count: 43)
        output("\(rule)\nBatch: \(batchId) (job \(jobId))\n\(rule)\n\(TableRenderer().render(merged))")
    }
}

/// Joining task outputs.
enum RecordBatches {
    /// The rows of `batches` (which share a schema) in one batch; nil for no batches.
    static func concatenate(_ batches: [RecordBatch]) -> RecordBatch? {
        guard let first = batches.first else { return nil }
        if batches.count == 1 { return first }
        let columns = first.schema.fields.indices.map { index in
            Column(
                first.columns[index].type,
                values: batches.flatMap { batch in (0..<batch.rowCount).map { batch.columns[index].value(at: $0) } })
        }
        return RecordBatch(schema: first.schema, columns: columns)
    }
}
