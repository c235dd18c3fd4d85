/// What a map task produces for its source partition range.
public struct MapTaskOutput: Sendable {
    /// For an aggregation, one block per reduce partition (index = partition); empty otherwise.
    public var shuffleBlocks: [[UInt8]]
    /// For a stateless job, the rows the sink receives (projected to `plan.outputSchema`); nil otherwise.
    public var rows: RecordBatch?
    /// Records that did not decode, then rows dropped as late, in source offset order.
    public var deadLetters: [DeadLetter]
    /// Counts for progress records and the next watermark.
    public var metrics: MapTaskMetrics
}

/// A map task's counts.
public struct MapTaskMetrics: Sendable, Equatable {
    /// Source records read (decoded or not).
    public var inputRecords: Int
    /// Records that decoded into rows.
    public var inputRows: Int
    /// Rows left after late rows were dropped and the WHERE filter ran.
    public var rowsAfterFilter: Int
    /// Rows dropped because their event time was below the watermark.
    public var lateRowsDropped: Int
    /// The smallest event time among decoded rows (late ones included); nil if none.
    public var minEventTimeMs: Int64?
    /// The largest event time among decoded rows (late ones included), for the next watermark; nil if none.
    public var maxEventTimeMs: Int64?

    /// Metrics.
    public init(
        inputRecords: Int, inputRows: Int, rowsAfterFilter: Int, lateRowsDropped: Int, minEventTimeMs: Int64?,
        maxEventTimeMs: Int64?
    ) {
        self.inputRecords = inputRecords
        self.inputRows = inputRows
        self.rowsAfterFilter = rowsAfterFilter
        self.lateRowsDropped = lateRowsDropped
        self.minEventTimeMs = minEventTimeMs
        self.maxEventTimeMs = maxEventTimeMs
    }
}

/// What a reduce task produces for its state partition.
public struct ReduceTaskOutput: Sendable {
    /// The rows the sink receives this batch, per the output mode, after HAVING and the output projection.
    public var rows: RecordBatch
    /// The state delta for version `batchId`, to persist before the batch commits.
    public var stateDelta: [UInt8]
    /// Counts for progress records.
    public var metrics: StateMetrics
}
