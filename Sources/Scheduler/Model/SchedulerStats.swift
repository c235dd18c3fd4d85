/// Counters since the scheduler started, for metrics and for tests to check what happened.
public struct SchedulerStats: Equatable, Sendable {
    /// `.launch` directives issued.
    public var attemptsLaunched = 0
    /// Results taken as their task's result (`.resultAccepted`).
    public var resultsAccepted = 0
    /// Successes and failures ignored: unknown or finished attempt, or not from the attempt's executor.
    public var staleReportsIgnored = 0
    /// Failures counted against their task's `attemptsMax`.
    public var failuresCounted = 0
    /// Fetch failures reported (not counted against the reporting task).
    public var fetchFailures = 0
    /// Running attempts ended because their executor was lost (not counted against the task).
    public var attemptsLostWithExecutor = 0
    /// `.cancelAttempt` directives issued.
    public var attemptsCancelled = 0
    /// Map outputs marked lost, by executor loss or fetch failure.
    public var mapOutputsLost = 0
    /// Stages rerun because output they had produced was lost and was still needed.
    public var stageResubmissions = 0
    /// `.batchSucceeded` directives issued.
    public var batchesSucceeded = 0
    /// `.batchFailed` directives issued.
    public var batchesFailed = 0
    /// Batches dropped by `cancelJob`.
    public var batchesCancelled = 0
    /// `.executorLost` directives issued.
    public var executorsLost = 0
    /// `.releaseExecutor` directives issued.
    public var executorsReleased = 0

    /// All zero.
    public init() {}
}
