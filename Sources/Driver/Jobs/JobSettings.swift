import Query

/// What the micro-batch loop needs to know about a job, taken from its compiled plan.
public struct JobSettings: Sendable, Equatable {
    /// The source topic.
    public var topic: String
    /// Where a new job starts reading.
    public var startingOffsets: StartingOffsets
    /// Records one batch reads at most, over all partitions; nil for no cap.
    public var recordsPerBatchMax: Int64?

    /// The cap of a job that sets no `max_records_per_batch`: a backlog is worked off in batches of
    /// this size rather than in one. 2,000,000 waiting clicks (400 MB) read as one batch ran at 60%
    /// of the rate of 250,000-record batches (every buffer of the huge batch is fresh memory that
    /// page-faults, nothing overlaps), and a larger backlog would exceed a map task's input limit.
    public static let defaultRecordsPerBatchMax: Int64 = 250_000
    /// When batches start.
    public var trigger: Trigger
    /// How far the watermark trails the largest event time; nil when the source declares none.
    public var watermarkDelayMs: Int64?
    /// Whether a batch runs without new data when the watermark has moved (Spark's rule: a
    /// windowed aggregation with a watermark, in append or update mode, has state to emit or evict).
    public var runsNoDataBatches: Bool
    /// With no new data, how long to wait before asking the broker again.
    public var pollIntervalMs: Int64
    /// After the broker could not be reached, how long to wait before asking again.
    public var retryIntervalMs: Int64

    /// Settings given field by field.
    public init(
        topic: String, startingOffsets: StartingOffsets = .earliest, recordsPerBatchMax: Int64? = nil,
        trigger: Trigger = .asFastAsPossible, watermarkDelayMs: Int64? = nil, runsNoDataBatches: Bool = false,
        pollIntervalMs: Int64 = 50, retryIntervalMs: Int64 = 500
    ) {
        precondition(recordsPerBatchMax.map { $0 > 0 } ?? true, "a batch cap must be positive")
        precondition(pollIntervalMs > 0 && retryIntervalMs > 0, "intervals must be positive")
        if case .interval(let ms) = trigger { precondition(ms > 0, "a trigger interval must be positive") }
        self.topic = topic
        self.startingOffsets = startingOffsets
        self.recordsPerBatchMax = recordsPerBatchMax
        self.trigger = trigger
        self.watermarkDelayMs = watermarkDelayMs
        self.runsNoDataBatches = runsNoDataBatches
        self.pollIntervalMs = pollIntervalMs
        self.retryIntervalMs = retryIntervalMs
    }

    /// The settings of `plan`.
    public init(plan: JobPlan, pollIntervalMs: Int64 = 50) {
        var windowed = false
        if case .aggregate(let aggregation) = plan.body { windowed = aggregation.window != nil }
        let delay = plan.source.watermarkDelayMs
        self.init(
            topic: plan.source.topic, startingOffsets: plan.source.startingOffsets,
            recordsPerBatchMax: plan.maxRecordsPerBatch.map { Int64($0) } ?? Self.defaultRecordsPerBatchMax,
            trigger: plan.trigger,
            watermarkDelayMs: delay, runsNoDataBatches: windowed && delay != nil && plan.outputMode != .complete,
            pollIntervalMs: pollIntervalMs)
    }
}

/// One source partition's offsets as the broker reports them.
public struct PartitionOffsets: Sendable, Equatable {
    /// The partition.
    public var partition: Int32
    /// The first offset still in the log.
    public var earliest: Int64
    /// The offset the next record will get (the high watermark).
    public var latest: Int64

    /// Offsets of one partition.
    public init(partition: Int32, earliest: Int64, latest: Int64) {
        self.partition = partition
        self.earliest = earliest
        self.latest = latest
    }
}
