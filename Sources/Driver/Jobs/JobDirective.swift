/// What the job's shell does next, as its `JobInstance` decides.
public enum JobDirective: Sendable, Equatable {
    /// Ask the broker for the source's offsets at `atMs` (wall clock; at once if already past),
    /// then report them with `offsetsFetched` (or `offsetsUnavailable`).
    case fetchOffsets(atMs: Int64)
    /// Run this batch: when `writeOffsets`, first make `offsets/N` durable; then run its tasks and
    /// report `batchSucceeded` or `batchFailed`. A restart replays a recorded batch without rewriting it.
    case runBatch(OffsetEntry, writeOffsets: Bool)
    /// The batch's tasks all succeeded: persist state, write the sink and dead letters, then this
    /// `commits/N`, then report `committed`.
    case commit(CommitEntry)
    /// The job stopped as asked, between batches.
    case stop
    /// The job cannot go on.
    case fail(String)
}

/// What the shell learned from a batch's task results, for its commit entry.
public struct BatchSummary: Sendable, Equatable {
    /// The largest event time any map task saw; nil when no row had one.
    public var maxEventTimeMs: Int64?
    /// Source records read.
    public var inputRecords: Int64
    /// Rows the sink receives.
    public var outputRows: Int64
    /// Records for the dead-letter topic.
    public var deadLetters: Int64

    /// A summary.
    public init(maxEventTimeMs: Int64?, inputRecords: Int64, outputRows: Int64, deadLetters: Int64) {
        self.maxEventTimeMs = maxEventTimeMs
        self.inputRecords = inputRecords
        self.outputRows = outputRows
        self.deadLetters = deadLetters
    }
}
