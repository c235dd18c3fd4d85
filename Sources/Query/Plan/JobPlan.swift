/// When micro-batches start.
public enum Trigger: Sendable, Hashable {
    /// The next batch starts as soon as the previous one ends (Spark's default).
    case asFastAsPossible
    /// Batches start every `ms` milliseconds (a late batch starts at once, skipped ticks are not replayed).
    case interval(ms: Int64)
}

/// A compiled job: everything a task needs to run its part of a micro-batch. Built once from
/// the job's SQL by `QueryCompiler`; the same SQL compiles to the same plan on every process.
///
/// Batches flow through it like this (the map stage, one task per source partition range):
/// raw records → decode `decodedColumns` of the source into the *input batch* (malformed records
/// become dead letters) → drop late rows (aggregations only: event time below the batch's
/// watermark) → `filter` → then either `stateless` projections straight to the sink, or the
/// aggregation's partial aggregate per group, hash-shuffled by group to `shufflePartitions`
/// reduce tasks, which merge it into window state and emit rows as `outputMode` says.
public struct JobPlan: Sendable, Hashable {
    /// The stream read.
    public var source: SourceSpec
    /// Indexes into `source.schema`, ascending, of the columns the job uses; the decoder builds
    /// the input batch with exactly these columns, in this order.
    public var decodedColumns: [Int]
    /// The event-time column as an index into the input batch, if the source has one and it is
    /// decoded (it always is when the source declares a watermark).
    public var eventTimeColumn: Int?
    /// The WHERE condition over the input batch.
    public var filter: BoundExpr?
    /// What happens to the filtered rows.
    public var body: JobBody
    /// Where results go.
    public var sink: SinkSpec
    /// The columns of the rows the sink receives.
    public var outputSchema: Schema
    /// When rows are emitted (stateless jobs always append).
    public var outputMode: OutputMode
    /// When batches start.
    public var trigger: Trigger
    /// A cap on records read per batch across all partitions; nil for no cap.
    public var maxRecordsPerBatch: Int?
    /// Number of reduce tasks (state partitions) of an aggregation; fixed for a job's life,
    /// because state is partitioned by it.
    public var shufflePartitions: Int

    /// A job plan.
    public init(
        source: SourceSpec, decodedColumns: [Int], eventTimeColumn: Int?, filter: BoundExpr?, body: JobBody,
        sink: SinkSpec, outputSchema: Schema, outputMode: OutputMode, trigger: Trigger = .asFastAsPossible,
        maxRecordsPerBatch: Int? = nil, shufflePartitions: Int = 4
    ) {
        self.source = source
        self.decodedColumns = decodedColumns
        self.eventTimeColumn = eventTimeColumn
        self.filter = filter
        self.body = body
        self.sink = sink
        self.outputSchema = outputSchema
        self.outputMode = outputMode
        self.trigger = trigger
        self.maxRecordsPerBatch = maxRecordsPerBatch
        self.shufflePartitions = shufflePartitions
    }

    /// The schema of the input batch: the decoded source columns.
    public var inputSchema: Schema { Schema(decodedColumns.map { source.schema.fields[$0] }) }
}

/// The two shapes of job.
public enum JobBody: Sendable, Hashable {
    /// Filter and project: output row = these expressions over the input batch. One stage.
    case stateless([NamedExpr])
    /// Group and aggregate, with state across batches. Two stages with a shuffle between.
    case aggregate(AggregationPlan)
}

/// A streaming aggregation. Its *group row* layout is: `window_start, window_end` (TIMESTAMP,
/// only when windowed), then the group keys, then one column per aggregate, in order;
/// `groupSchema` names it, and `having` and `output` are bound against it.
public struct AggregationPlan: Sendable, Hashable {
    /// The event-time window, with its time expression over the input batch; nil if none.
    public var window: WindowGrouping?
    /// The GROUP BY keys other than the window, over the input batch.
    public var keys: [NamedExpr]
    /// The aggregates, their arguments over the input batch.
    public var aggregates: [AggregateCall]
    /// The group row layout described above.
    public var groupSchema: Schema
    /// The HAVING condition over the group row.
    public var having: BoundExpr?
    /// The SELECT list over the group row: the rows the sink receives.
    public var output: [NamedExpr]

    /// An aggregation plan.
    public init(
        window: WindowGrouping?, keys: [NamedExpr], aggregates: [AggregateCall], groupSchema: Schema,
        having: BoundExpr?, output: [NamedExpr]
    ) {
        self.window = window
        self.keys = keys
        self.aggregates = aggregates
        self.groupSchema = groupSchema
        self.having = having
        self.output = output
    }
}
