/// Tunables of the scheduler; defaults follow Spark where it has one, generous limits elsewhere.
public struct SchedulerConfig: Equatable, Sendable {
    /// An executor silent this long (no registration or heartbeat) is lost at the next `tick`.
    public var executorTimeoutMs: Int64
    /// How long a task whose preferred executor is alive but full waits for it (`spark.locality.wait`).
    public var localityWaitMs: Int64
    /// Failures a task may cause before its batch fails (`spark.task.maxFailures`); executor losses
    /// and fetch failures are not the task's fault and do not count.
    public var attemptsMax: Int
    /// Launches of one task in one batch, whatever ended them or undid its result; a task that
    /// would need one more fails its batch. Bounds the retries no failure counts.
    public var taskLaunchesMax: Int
    /// Times a batch's stages may lose shuffle output and rerun before the batch fails.
    public var stageResubmissionsPerBatchMax: Int
    /// Batches submitted and not yet finished, over all jobs.
    public var batchesInFlightMax: Int
    /// Stages in one batch.
    public var stagesPerBatchMax: Int
    /// Tasks in one stage.
    public var partitionsPerStageMax: Int
    /// Executors registered at once.
    public var executorsMax: Int
    /// Slots one executor may offer.
    public var slotsPerExecutorMax: Int

    /// A configuration; every limit must be positive.
    public init(
        executorTimeoutMs: Int64 = 5000, localityWaitMs: Int64 = 50, attemptsMax: Int = 4,
        taskLaunchesMax: Int = 64, stageResubmissionsPerBatchMax: Int = 16, batchesInFlightMax: Int = 1024,
        stagesPerBatchMax: Int = 64, partitionsPerStageMax: Int = 65_536, executorsMax: Int = 4096,
        slotsPerExecutorMax: Int = 1024
    ) {
        precondition(executorTimeoutMs > 0 && localityWaitMs >= 0, "timeouts must not be negative")
        precondition(attemptsMax > 0 && taskLaunchesMax >= attemptsMax, "need attemptsMax <= taskLaunchesMax")
        precondition(stageResubmissionsPerBatchMax >= 0 && batchesInFlightMax > 0, "limits must be positive")
        precondition(stagesPerBatchMax > 0 && partitionsPerStageMax > 0, "limits must be positive")
        precondition(executorsMax > 0 && slotsPerExecutorMax > 0, "limits must be positive")
        self.executorTimeoutMs = executorTimeoutMs
        self.localityWaitMs = localityWaitMs
        self.attemptsMax = attemptsMax
        self.taskLaunchesMax = taskLaunchesMax
        self.stageResubmissionsPerBatchMax = stageResubmissionsPerBatchMax
        self.batchesInFlightMax = batchesInFlightMax
        self.stagesPerBatchMax = stagesPerBatchMax
        self.partitionsPerStageMax = partitionsPerStageMax
        self.executorsMax = executorsMax
        self.slotsPerExecutorMax = slotsPerExecutorMax
    }
}
