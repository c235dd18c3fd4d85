/// One batch's progress, in the shape Spark users know from `StreamingQueryProgress`.
public struct ProgressRecord: Sendable, Equatable {
    /// The job.
    public var jobId: String
    /// The batch.
    public var batchId: Int64
    /// When the batch's trigger fired (wall clock, ms since the epoch).
    public var timestampMs: Int64
    /// Source records the batch read.
    public var numInputRows: Int64
    /// Input records per second of wall time since the previous batch's trigger (Spark's definition).
    public var inputRowsPerSecond: Double
    /// Input records per second of this batch's own duration.
    public var processedRowsPerSecond: Double
    /// Where the batch's time went.
    public var durations: BatchDurations
    /// Event times seen and the watermark.
    public var eventTime: EventTimeProgress
    /// The aggregation's state, for stateful jobs; nil for stateless ones.
    public var stateOperator: StateOperatorProgress?
    /// What the batch read.
    public var source: SourceProgress
    /// What the sink received.
    public var sink: SinkProgress
    /// Records sent to the dead-letter topic.
    public var deadLetters: Int64

    /// A progress record.
    public init(
        jobId: String, batchId: Int64, timestampMs: Int64, numInputRows: Int64, inputRowsPerSecond: Double,
        processedRowsPerSecond: Double, durations: BatchDurations, eventTime: EventTimeProgress,
        stateOperator: StateOperatorProgress?, source: SourceProgress, sink: SinkProgress, deadLetters: Int64
    ) {
        self.jobId = jobId
        self.batchId = batchId
        self.timestampMs = timestampMs
        self.numInputRows = numInputRows
        self.inputRowsPerSecond = inputRowsPerSecond
        self.processedRowsPerSecond = processedRowsPerSecond
        self.durations = durations
        self.eventTime = eventTime
        self.stateOperator = stateOperator
        self.source = source
        self.sink = sink
        self.deadLetters = deadLetters
    }
}

/// Milliseconds spent in each phase of a batch.
public struct BatchDurations: Sendable, Equatable {
    /// Asking the broker for the latest offsets.
    public var latestOffsetMs: Int64
    /// Writing `offsets/N`.
    public var walCommitMs: Int64
    /// Turning the batch into stages and tasks.
    public var planningMs: Int64
    /// Running the tasks.
    public var executionMs: Int64
    /// State, sink, dead letters and `commits/N`.
    public var commitMs: Int64

    /// Durations.
    public init(latestOffsetMs: Int64, walCommitMs: Int64, planningMs: Int64, executionMs: Int64, commitMs: Int64) {
        self.latestOffsetMs = latestOffsetMs
        self.walCommitMs = walCommitMs
        self.planningMs = planningMs
        self.executionMs = executionMs
        self.commitMs = commitMs
    }

    /// The whole batch (Spark's `triggerExecution`).
    public var totalMs: Int64 { latestOffsetMs + walCommitMs + planningMs + executionMs + commitMs }
}

/// Event times of a batch (ms since the epoch).
public struct EventTimeProgress: Sendable, Equatable {
    /// The smallest event time the batch saw.
    public var minMs: Int64?
    /// The largest.
    public var maxMs: Int64?
    /// The watermark the batch ran with.
    public var watermarkMs: Int64?

    /// Event-time figures.
    public init(minMs: Int64?, maxMs: Int64?, watermarkMs: Int64?) {
        self.minMs = minMs
        self.maxMs = maxMs
        self.watermarkMs = watermarkMs
    }
}

/// The aggregation state after a batch, summed over its partitions.
public struct StateOperatorProgress: Sendable, Equatable {
    /// Groups held.
    public var rowsTotal: Int64
    /// Groups that changed.
    public var rowsUpdated: Int64
    /// Input rows dropped because they were behind the watermark.
    public var rowsDroppedByWatermark: Int64
    /// Groups evicted because the watermark passed them.
    public var rowsRemoved: Int64
    /// Approximate memory of the state.
    public var memoryBytes: Int64
    /// State partitions.
    public var partitions: Int

    /// State figures.
    public init(
        rowsTotal: Int64, rowsUpdated: Int64, rowsDroppedByWatermark: Int64, rowsRemoved: Int64, memoryBytes: Int64,
        partitions: Int
    ) {
        self.rowsTotal = rowsTotal
        self.rowsUpdated = rowsUpdated
        self.rowsDroppedByWatermark = rowsDroppedByWatermark
        self.rowsRemoved = rowsRemoved
        self.memoryBytes = memoryBytes
        self.partitions = partitions
    }
}

/// The source ranges of a batch and how far behind the broker the job is.
public struct SourceProgress: Sendable, Equatable {
    /// The topic.
    public var topic: String
    /// What the batch read, per partition.
    public var ranges: [SourceRange]
    /// The latest offset per partition when the batch was planned (nil for a replayed batch,
    /// whose offsets were chosen before the restart).
    public var latest: [Int32: Int64]?

    /// Source figures.
    public init(topic: String, ranges: [SourceRange], latest: [Int32: Int64]?) {
        self.topic = topic
        self.ranges = ranges
        self.latest = latest
    }

    /// Records the broker held beyond the batch's ends when it was planned.
    public var lag: Int64? {
        guard let latest else { return nil }
        return ranges.reduce(0) { $0 + max(0, (latest[$1.partition] ?? $1.end) - $1.end) }
    }
}

/// What the sink received.
public struct SinkProgress: Sendable, Equatable {
    /// The sink, e.g. `file out/pv_uv (jsonl)`.
    public var description: String
    /// Rows written.
    public var rowsWritten: Int64

    /// Sink figures.
    public init(description: String, rowsWritten: Int64) {
        self.description = description
        self.rowsWritten = rowsWritten
    }
}
