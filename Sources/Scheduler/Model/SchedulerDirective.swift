/// What the scheduler asks the shell (the driver) to do after an event, in order.
public enum SchedulerDirective: Equatable, Sendable {
    /// Send this task attempt to its executor.
    case launch(TaskLaunch)
    /// Tell the executor to stop this attempt (best effort); whatever it still reports is ignored.
    case cancelAttempt(attemptId: UInt64, executorId: String)
    /// This attempt's result is the task's result: keep its payload (sink/state bookkeeping) and
    /// discard every other attempt's. For a stage others read, its shuffle output is on `executorId`.
    case resultAccepted(attemptId: UInt64, task: TaskKey, executorId: String)
    /// Every task of the batch has its accepted result: write `commits/N`. Sent once per batch.
    case batchSucceeded(BatchKey)
    /// The batch cannot finish: commit nothing and fail the job with the reason. Sent once per batch.
    case batchFailed(BatchKey, BatchFailureReason)
    /// The executor is gone (its attempts and shuffle output with it): close its connection.
    case executorLost(executorId: String, reason: ExecutorLossReason)
    /// A draining executor has finished its attempts and holds no shuffle output still needed:
    /// tell it to exit and close its connection. The scheduler has forgotten it.
    case releaseExecutor(executorId: String)
    /// A heartbeat or drain notice named an executor the scheduler does not know (lost, released or
    /// never registered): close that connection; the process may register again under a new id.
    case executorUnknown(executorId: String)
}

/// One task attempt to start on one executor.
public struct TaskLaunch: Equatable, Sendable {
    /// Fences the attempt: its result must come back with this id, from `executorId`.
    public let attemptId: UInt64
    /// The task to run.
    public let task: TaskKey
    /// 0 for the task's first launch in this batch, then 1, 2, ... whatever ended the earlier ones.
    public let attemptNumber: Int
    /// The executor to run it on.
    public let executorId: String
    /// One entry per parent stage, in `StageSpec.parents` order; empty for a stage reading the source.
    public let inputs: [ShuffleInput]
}

/// Where a parent stage's shuffle output lives, one location per map partition.
public struct ShuffleInput: Equatable, Sendable {
    /// The parent stage.
    public let stage: Int
    /// Indexed by map partition.
    public let mapOutputs: [MapOutputLocation]
}

/// The shuffle output of one map partition: the executor holding it and the attempt that wrote it.
public struct MapOutputLocation: Hashable, Sendable {
    /// The executor serving the blocks.
    public let executorId: String
    /// The map attempt that wrote them; executors may key blocks by it.
    public let attemptId: UInt64

    /// A location.
    public init(executorId: String, attemptId: UInt64) {
        self.executorId = executorId
        self.attemptId = attemptId
    }
}

/// A reduce attempt could not read one map partition's shuffle output from where its launch said.
public struct FetchFailure: Equatable, Sendable {
    /// The parent stage whose output was missing.
    public var stage: Int
    /// The map partition whose output was missing.
    public var mapPartition: Int
    /// The location the launch named for it.
    public var location: MapOutputLocation

    /// A fetch failure.
    public init(stage: Int, mapPartition: Int, location: MapOutputLocation) {
        self.stage = stage
        self.mapPartition = mapPartition
        self.location = location
    }
}
