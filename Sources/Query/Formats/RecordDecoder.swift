/// Turns the raw records of a source partition into the job's input batch: one row per record
/// that decodes, in source order, holding exactly the decoded columns, and one dead letter (with
/// partition, offset, raw bytes and reason) per record that does not. A bad record never stops
/// the others. Reasons, first that applies: a null value; bytes that are not UTF-8; a value that
/// is not well-formed in the format (with what and at which byte); a missing, null or unparsable
/// event time (`source.eventTimeColumn`, checked even when the job does not use the column); a
/// field that does not convert to its column's type (first such column in schema order).
public struct RecordDecoder: Sendable {
    enum Format: Sendable {
        case json(JSONRecordDecoder)
        case csv(CSVRecordDecoder)
        case combinedLog(CombinedLogRecordDecoder)
    }

    let plan: DecodePlan
    let format: Format

    /// A decoder for `source` that fills `decodedColumns` (ascending indexes into its schema).
    public init(source: SourceSpec, decodedColumns: [Int]) {
        plan = DecodePlan(source: source, decodedColumns: decodedColumns)
        switch source.format {
        case .json: format = .json(JSONRecordDecoder(plan: plan))
        case .csv(let delimiter, let hasHeader):
            format = .csv(
                CSVRecordDecoder(plan: plan, schema: source.schema, delimiter: delimiter, hasHeader: hasHeader))
        case .combinedLog: format = .combinedLog(CombinedLogRecordDecoder(plan: plan))
        }
    }

    /// The schema of the batches `decode` returns.
    public var inputSchema: Schema { plan.outputSchema }

    /// Decodes `records`.
    public func decode(_ records: SourceRecords) -> DecodedRecords {
        records.buffer.withUnsafeBytes { buffer in
            var builder = RowBuilder(plan: plan, source: buffer, records: records.count)
            switch format {
            case .json(let decoder): decoder.decode(records, into: &builder)
            case .csv(let decoder): decoder.decode(records, into: &builder)
            case .combinedLog(let decoder): decoder.decode(records, into: &builder)
            }
            return builder.result()
        }
    }
}
