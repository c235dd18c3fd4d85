/// Why a batch failed.
public enum BatchFailureReason: Equatable, Sendable, CustomStringConvertible {
    /// A task failed `attempts` times (`SchedulerConfig.attemptsMax`); `error` is its last error.
    case taskFailed(task: TaskKey, attempts: Int, error: String)
    /// A task was launched `launches` times (`SchedulerConfig.taskLaunchesMax`) without finishing.
    case taskLaunchesExhausted(task: TaskKey, launches: Int)
    /// Shuffle output was lost and recomputed more than `SchedulerConfig.stageResubmissionsPerBatchMax` times.
    case stageResubmissionsExhausted(resubmissions: Int)
    /// The batch named in `BatchSpec.after` failed while this one waited for it, so the state this
    /// one would restore will never exist.
    case predecessorFailed(BatchKey)

    /// One line for the job's status and logs.
    public var description: String {
        switch self {
        case .taskFailed(let task, let attempts, let error):
            "task \(task) failed \(attempts) times; last error: \(error)"
        case .taskLaunchesExhausted(let task, let launches):
            "task \(task) was launched \(launches) times without finishing (executors kept being lost)"
        case .stageResubmissionsExhausted(let resubmissions):
            "shuffle output was lost and stages resubmitted \(resubmissions) times"
        case .predecessorFailed(let predecessor):
            "batch \(predecessor) failed before it; this batch would restore the state that one never left"
        }
    }
}

/// Why an executor was declared lost.
public enum ExecutorLossReason: Equatable, Sendable, CustomStringConvertible {
    /// No heartbeat for `silentMs` (at least `SchedulerConfig.executorTimeoutMs`).
    case heartbeatTimeout(silentMs: Int64)
    /// The shell reported it lost (connection dropped, process exited, ...).
    case reported(String)

    /// One line for logs.
    public var description: String {
        switch self {
        case .heartbeatTimeout(let silentMs): "no heartbeat for \(silentMs) ms"
        case .reported(let reason): reason
        }
    }
}

/// Input the scheduler refuses; nothing changed.
public enum SchedulerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The id is already registered (ids must be fresh per registration).
    case executorAlreadyRegistered(executorId: String)
    /// `executorsMax` executors are registered.
    case tooManyExecutors(limit: Int)
    /// Slots must be in `1...slotsPerExecutorMax`.
    case slotsOutOfRange(executorId: String, slots: Int, limit: Int)
    /// This batch is already in flight.
    case batchAlreadySubmitted(BatchKey)
    /// `batchesInFlightMax` batches are in flight.
    case tooManyBatchesInFlight(limit: Int)
    /// A batch needs `1...stagesPerBatchMax` stages.
    case stageCountOutOfRange(BatchKey, count: Int, limit: Int)
    /// A stage needs `1...partitionsPerStageMax` partitions.
    case partitionCountOutOfRange(BatchKey, stage: Int, count: Int, limit: Int)
    /// A parent must be an earlier stage, named once.
    case invalidParent(BatchKey, stage: Int, parent: Int)
    /// A preferred executor names a partition the stage does not have.
    case preferredPartitionOutOfRange(BatchKey, stage: Int, partition: Int)
    /// `BatchSpec.after` must name an earlier batch: a lower batch id than the batch's own.
    case invalidPredecessor(BatchKey, after: Int64)

    /// One line saying what was wrong.
    public var description: String {
        switch self {
        case .executorAlreadyRegistered(let id): "executor \(id) is already registered"
        case .tooManyExecutors(let limit): "already \(limit) executors registered"
        case .slotsOutOfRange(let id, let slots, let limit): "executor \(id) offers \(slots) slots, not 1...\(limit)"
        case .batchAlreadySubmitted(let batch): "batch \(batch) is already in flight"
        case .tooManyBatchesInFlight(let limit): "already \(limit) batches in flight"
        case .stageCountOutOfRange(let batch, let count, let limit):
            "batch \(batch) has \(count) stages, not 1...\(limit)"
        case .partitionCountOutOfRange(let batch, let stage, let count, let limit):
            "batch \(batch) stage \(stage) has \(count) partitions, not 1...\(limit)"
        case .invalidParent(let batch, let stage, let parent):
            "batch \(batch) stage \(stage) names parent \(parent), which is not an earlier stage named once"
        case .preferredPartitionOutOfRange(let batch, let stage, let partition):
            "batch \(batch) stage \(stage) prefers an executor for partition \(partition), which it does not have"
        case .invalidPredecessor(let batch, let after):
            "batch \(batch) waits for batch \(after) of its job, which is not an earlier batch"
        }
    }
}
