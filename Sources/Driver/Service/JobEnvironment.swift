import Foundation

/// The steps of committing batch N, in the order they run; a crash between any two leaves a
/// checkpoint from which a restart runs N again and the outputs end up exactly once.
public enum CommitStep: String, Sendable, CaseIterable {
    /// Before `offsets/N` is written (only for a newly planned batch).
    case offsets
    /// Before the state deltas and snapshots of N are persisted.
    case state
    /// Before the sink receives N's rows.
    case sink
    /// Before N's dead letters go to `<job>.dlq`.
    case deadLetters
    /// Before `commits/N` is written.
    case commit
    /// After `commits/N`, before the progress record and the shuffle release.
    case progress
}

/// Everything a job's loop works with, injected so the loop runs the same against a real cluster
/// and broker or against fakes.
public struct JobEnvironment: Sendable {
    /// The job's checkpoint directory.
    public var checkpoint: JobCheckpoint
    /// Source offsets, and the sink and dead-letter topics.
    public var broker: any DriverBroker
    /// Runs batches on executors.
    public var runner: any BatchRunner
    /// Where result rows go.
    public var sink: any BatchSink
    /// Where undecodable and late records go.
    public var deadLetters: DeadLetterWriter
    /// The job's metrics, if any.
    public var counters: JobCounters?
    /// Wall-clock milliseconds since the epoch.
    public var wallClockMs: @Sendable () -> Int64
    /// One line per notable event.
    public var log: @Sendable (String) -> Void
    /// Tests only: return true to stop the loop dead before `step` of batch N, as a crash would.
    public var crashBefore: (@Sendable (CommitStep, Int64) -> Bool)?
    /// Reduce tasks ship a full state snapshot every this many batches.
    public var snapshotEveryBatches: Int64 = 10
    /// Offsets and commits kept in the checkpoint.
    public var retainedBatches: Int64 = 100
    /// How often old checkpoint files are cleaned up, in batches.
    public var cleanupEveryBatches: Int64 = 10
    /// Attempts of a failing commit step (broker or disk trouble) before the job fails.
    public var commitAttemptsMax = 5
    /// Pause between those attempts.
    public var commitRetryMs = 500
    /// Records left behind a batch's end from which on its commit overlaps the next batch: a
    /// backlog is worked through at full speed, whereas a job keeping up with its source gets
    /// shorter batches by committing each before the next (their fsyncs would contend).
    public var overlapBacklogMin: Int64 = 10_000
    /// Over such a backlog, whether the next batch is planned and its map stage run while the
    /// current batch reduces (off: one batch at a time, as Spark runs them).
    public var plansAhead = true

    /// An environment.
    public init(
        checkpoint: JobCheckpoint, broker: any DriverBroker, runner: any BatchRunner, sink: any BatchSink,
        deadLetters: DeadLetterWriter, counters: JobCounters? = nil,
        wallClockMs: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.checkpoint = checkpoint
        self.broker = broker
        self.runner = runner
        self.sink = sink
        self.deadLetters = deadLetters
        self.counters = counters
        self.wallClockMs = wallClockMs
        self.log = log
    }
}
