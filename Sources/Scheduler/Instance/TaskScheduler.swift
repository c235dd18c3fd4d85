/// Stage and task scheduling as a pure state machine (Instance/Shell/Directive): it does no I/O,
/// reads no clock, draws no random number and starts no thread. The shell (the driver) feeds it
/// events with the current monotonic time and carries out the returned directives in order.
///
/// The shell's side of the contract:
/// - Keep the value in a `Mutex`; events must not nest. `nowMs` is monotonic milliseconds; an event
///   carrying an earlier time than one already seen (threads racing to the lock) counts as that one.
/// - Register every executor process connection under an id never used before, and report its
///   heartbeats, its SIGTERM (`executorDraining`) and its loss (connection dropped) by that id.
/// - Report every attempt's outcome with the id of the executor connection it arrived on; reports
///   the scheduler no longer wants (stale attempt, lost executor, duplicate) are ignored and counted.
/// - `.launch`: send the attempt to its executor; if that cannot be done, report the executor lost
///   (or the attempt failed). `.cancelAttempt`: best effort, nothing to report back.
/// - `.resultAccepted`: this attempt's payload is the task's result; keep no other attempt's.
/// - `.batchSucceeded`: write `commits/N`. `.batchFailed`: commit nothing, fail the job.
/// - `.executorLost` / `.releaseExecutor` / `.executorUnknown`: close that executor's connection;
///   `.releaseExecutor` first tells the draining process it may exit.
/// - Call `tick(nowMs:)` every ~10 ms or at `nextDeadlineMs`: it expires silent executors and ends
///   locality waits. Tasks with no executor to run on simply wait; the shell owns job timeouts.
/// - A restarted driver passes a `firstAttemptId` above every attempt id it issued before (e.g. its
///   wall clock in microseconds), so no old executor's report can match a new attempt.
public struct TaskScheduler: Sendable {
    /// The settings this scheduler runs with.
    public let config: SchedulerConfig
    /// Counters since start.
    public internal(set) var stats = SchedulerStats()

    var executors: [String: ExecutorState] = [:]
    /// Executor ids in registration order: placement walks them in this order, never in a
    /// dictionary's, so a seed replays exactly.
    var executorOrder: [String] = []
    var nextExecutorSequence: UInt64 = 0
    var batches: [BatchKey: BatchState] = [:]
    /// Batches in submission order: placement is FIFO over batches.
    var batchOrder: [BatchKey] = []
    var attempts: [UInt64: AttemptRecord] = [:]
    var nextAttemptId: UInt64
    /// Job -> (stage, partition) -> the executor of its last accepted result, the default preference.
    var lastExecutors: [String: [StageCell: String]] = [:]
    /// The latest time seen.
    var clockMs: Int64 = .min
    var outbox: [SchedulerDirective] = []

    /// A stage and partition within one job, the key of remembered placement.
    struct StageCell: Hashable, Sendable {
        let stage: Int
        let partition: Int
    }

    /// A scheduler with no executors and no batches.
    public init(config: SchedulerConfig = SchedulerConfig(), firstAttemptId: UInt64 = 1) {
        precondition(firstAttemptId > 0 && firstAttemptId < UInt64.max / 2, "firstAttemptId out of range")
        self.config = config
        self.nextAttemptId = firstAttemptId
    }

    // MARK: executor events

    /// A new executor with `slots` slots; it counts as having just sent a heartbeat.
    public mutating func registerExecutor(_ executorId: String, slots: Int, nowMs: Int64) throws(SchedulerError)
        -> [SchedulerDirective]
    {
        try validateRegistration(executorId, slots: slots)
        return event(nowMs) { $0.addExecutor(executorId, slots: slots) }
    }

    /// The executor is alive; `.executorUnknown` if the scheduler does not know it.
    public mutating func executorHeartbeat(_ executorId: String, nowMs: Int64) -> [SchedulerDirective] {
        event(nowMs) { $0.noteHeartbeat(executorId) }
    }

    /// The executor got SIGTERM: it gets no new attempts, finishes its running ones, and is
    /// released once no unfinished batch needs its shuffle output.
    public mutating func executorDraining(_ executorId: String, nowMs: Int64) -> [SchedulerDirective] {
        event(nowMs) { $0.startDraining(executorId) }
    }

    /// The executor is gone (connection dropped, process exited); ignored if already forgotten.
    public mutating func executorLost(_ executorId: String, reason: String, nowMs: Int64) -> [SchedulerDirective] {
        event(nowMs) { scheduler in
            if scheduler.executors[executorId] != nil { scheduler.removeExecutor(executorId, .reported(reason)) }
        }
    }

    /// Time passes: executors silent for `executorTimeoutMs` are lost, locality waits expire.
    public mutating func tick(nowMs: Int64) -> [SchedulerDirective] {
        event(nowMs) { $0.expireSilentExecutors() }
    }

    // MARK: batch events

    /// A batch to run; refused with nothing changed if its spec is malformed or a limit is reached.
    public mutating func submitBatch(_ spec: BatchSpec, nowMs: Int64) throws(SchedulerError) -> [SchedulerDirective] {
        try validate(spec)
        return event(nowMs) { $0.addBatch(spec) }
    }

    /// Stops a job: cancels its running attempts and drops all its batches without a batch
    /// directive, and forgets where its tasks ran.
    public mutating func cancelJob(_ job: String, nowMs: Int64) -> [SchedulerDirective] {
        event(nowMs) { $0.dropJob(job) }
    }

    /// An attempt finished well. For a stage others read, its shuffle output is now on `executorId`.
    public mutating func attemptSucceeded(attemptId: UInt64, executorId: String, nowMs: Int64)
        -> [SchedulerDirective]
    {
        event(nowMs) { $0.handleSuccess(attemptId: attemptId, executorId: executorId) }
    }

    /// An attempt failed with `error`. With a `fetchFailure` the failure is blamed on the missing
    /// shuffle output, which is recomputed, and does not count against the reporting task.
    public mutating func attemptFailed(
        attemptId: UInt64, executorId: String, error: String, fetchFailure: FetchFailure? = nil, nowMs: Int64
    ) -> [SchedulerDirective] {
        event(nowMs) { scheduler in
            scheduler.handleFailure(
                attemptId: attemptId, executorId: executorId, error: error, fetchFailure: fetchFailure)
        }
    }

    // MARK: plumbing

    /// Runs one event: time never goes backwards, then free slots are filled and drained
    /// executors released, whatever the event was.
    private mutating func event(_ nowMs: Int64, _ body: (inout TaskScheduler) -> Void) -> [SchedulerDirective] {
        precondition(outbox.isEmpty, "scheduler events must not nest")
        clockMs = max(clockMs, nowMs)
        body(&self)
        placeTasks()
        releaseDrainedExecutors()
        defer { outbox = [] }
        return outbox
    }

    /// Queues a directive for the current event.
    mutating func emit(_ directive: SchedulerDirective) {
        outbox.append(directive)
    }
}
