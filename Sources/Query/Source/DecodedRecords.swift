/// What a record decoder makes of `SourceRecords`: the input batch (one row per record that
/// decoded, columns as `JobPlan.decodedColumns` says) and a dead letter for every record that did not.
public struct DecodedRecords: Sendable {
    /// The decoded rows.
    public var batch: RecordBatch
    /// For each row of `batch`, the index of its record in the `SourceRecords` it came from, so a
    /// later stage (the late-row check) can still reach the record's offset and raw bytes.
    public var recordIndexes: [Int]
    /// The records that did not decode, in source order.
    public var deadLetters: [DeadLetter]

    /// Decoded records; `recordIndexes` has one entry per row of `batch`.
    public init(batch: RecordBatch, recordIndexes: [Int], deadLetters: [DeadLetter]) {
        precondition(recordIndexes.count == batch.rowCount, "one record index per decoded row")
        self.batch = batch
        self.recordIndexes = recordIndexes
        self.deadLetters = deadLetters
    }
}
