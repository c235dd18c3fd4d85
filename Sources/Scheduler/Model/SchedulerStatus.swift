/// A snapshot of one registered executor.
public struct ExecutorStatus: Equatable, Sendable {
    /// Its id.
    public let executorId: String
    /// Slots it offers.
    public let slots: Int
    /// Attempts running on it.
    public let runningAttempts: Int
    /// Whether it is draining (SIGTERM): no new attempts.
    public let draining: Bool
    /// Time of its last heartbeat or registration.
    public let lastHeartbeatMs: Int64
}

/// A snapshot of one running attempt.
public struct AttemptStatus: Equatable, Sendable {
    /// Its fencing id.
    public let attemptId: UInt64
    /// The task it runs.
    public let task: TaskKey
    /// Where it runs.
    public let executorId: String
    /// Which launch of the task it is, from 0.
    public let attemptNumber: Int
}

/// A snapshot of one stage of a batch in flight.
public struct StageStatus: Equatable, Sendable {
    /// Tasks in the stage.
    public let partitionCount: Int
    /// Tasks waiting to run (including those whose parents are not done).
    public let waiting: Int
    /// Tasks with an attempt running.
    public let running: Int
    /// Tasks with an accepted result.
    public let done: Int
    /// Tasks whose shuffle output is readable (equals `done` until output is lost).
    public let outputsAvailable: Int
}

/// A snapshot of one batch in flight.
public struct BatchStatus: Equatable, Sendable {
    /// Which batch.
    public let batch: BatchKey
    /// Its stages by index.
    public let stages: [StageStatus]
    /// Stage resubmissions so far.
    public let resubmissions: Int
    /// The batch whose end its shuffle-reading stages still wait for (`BatchSpec.after`); nil when
    /// they wait for none.
    public let gatedBy: BatchKey?
}
