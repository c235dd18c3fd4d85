import Dispatch
import Query
import Synchronization

/// A batch for the cluster to run: the job's SQL (executors compile it themselves), its recorded
/// ranges and watermark, and the shape of its stages.
public struct BatchRequest: Sendable, Equatable {
    /// The job.
    public var jobId: String
    /// The job's SQL, shipped in every task description.
    public var jobSQL: String
    /// `offsets/N`: the batch id, one map task per range, the watermark.
    public var offsets: OffsetEntry
    /// Reduce tasks (state partitions) of an aggregation; nil for a stateless job (one stage).
    public var reducePartitions: Int?
    /// Whether reduce tasks ship a full state snapshot with their delta this batch.
    public var snapshotWanted: Bool
    /// The job's previous batch while it is still running: this batch's map stage may run
    /// meanwhile, its reduce stage waits for that batch's end (the state it restores).
    public var after: Int64?

    /// A batch request.
    public init(
        jobId: String, jobSQL: String, offsets: OffsetEntry, reducePartitions: Int?, snapshotWanted: Bool,
        after: Int64? = nil
    ) {
        self.jobId = jobId
        self.jobSQL = jobSQL
        self.offsets = offsets
        self.reducePartitions = reducePartitions
        self.snapshotWanted = snapshotWanted
        self.after = after
    }

    /// The state version reduce tasks start from: the previous batch's, none for batch 0.
    public var stateVersion: Int64? { offsets.batchId > 0 ? offsets.batchId - 1 : nil }
}

/// The accepted result of every task of a batch.
public struct BatchResults: Sendable, Equatable {
    /// Map reports by map partition (= source range index).
    public var maps: [MapTaskReport]
    /// Reduce reports by state partition; empty for a stateless job.
    public var reduces: [ReduceTaskReport]

    /// Results.
    public init(maps: [MapTaskReport], reduces: [ReduceTaskReport]) {
        self.maps = maps
        self.reduces = reduces
    }
}

/// How a batch ended.
public enum BatchOutcome: Sendable, Equatable {
    /// Every task has its accepted result.
    case succeeded(BatchResults)
    /// The batch cannot finish (a task failed too often, the request was refused).
    case failed(String)
    /// The job was cancelled (stop, driver shutdown) before the batch finished.
    case cancelled
}

/// Runs batches on executors; the cluster shell in the driver, a fake in tests.
public protocol BatchRunner: Sendable {
    /// Starts `request` and returns at once; the handle says when its map stage is done and how
    /// the batch ended.
    func submit(_ request: BatchRequest) -> BatchHandle
    /// Ends the job's batches in flight with `.cancelled`.
    func cancel(jobId: String)
    /// Tells executors the shuffle output of the job's batches up to `batchId` may go.
    func releaseShuffle(jobId: String, batchId: Int64)
}

extension BatchRunner {
    /// Runs `request` to its end; blocks the calling (job) thread meanwhile.
    public func run(_ request: BatchRequest) -> BatchOutcome { submit(request).wait() }
}

/// A submitted batch, as its job thread sees it: the map reports once every map task has an
/// accepted result, then the outcome. Only the job thread waits on it.
public final class BatchHandle: Sendable {
    private struct Seen {
        var maps: [MapTaskReport]?
        var outcome: BatchOutcome?
        var awaited = false
    }

    /// What `waitForMaps` found.
    public enum MapStage: Sendable, Equatable {
        /// Every map task has an accepted result: these reports, by map partition.
        case done([MapTaskReport])
        /// The batch ended first (or its map reports were never announced).
        case batchEnded
    }

    private let seen = Mutex(Seen())
    /// Signalled on every first-time change; the one waiting thread re-checks.
    private let changed = DispatchSemaphore(value: 0)

    /// A handle with nothing seen yet.
    public init() {}

    /// Announces the map stage's reports; later calls are ignored (a map task rerun after a lost
    /// executor reads the same records and reports the same).
    public func mapsDone(_ reports: [MapTaskReport]) {
        let first = seen.withLock { seen -> Bool in
            guard seen.maps == nil, seen.outcome == nil else { return false }
            seen.maps = reports
            return true
        }
        if first { changed.signal() }
    }

    /// Sets the outcome once; later calls are ignored.
    public func finish(_ result: BatchOutcome) {
        let first = seen.withLock { seen -> Bool in
            guard seen.outcome == nil else { return false }
            seen.outcome = result
            return true
        }
        if first { changed.signal() }
    }

    /// The outcome, nil while the batch runs.
    public var outcome: BatchOutcome? { seen.withLock { $0.outcome } }

    /// Whether the job thread waits for the outcome (it has planned ahead, or decided not to).
    public var isAwaited: Bool { seen.withLock { $0.awaited } }

    /// What `waitForMaps` would return now, without blocking; nil while the map stage runs.
    public var mapStage: MapStage? {
        seen.withLock { seen in
            if seen.outcome != nil { return .batchEnded }
            return seen.maps.map { .done($0) }
        }
    }

    /// Blocks until the map stage is done or the batch ended, whichever comes first.
    public func waitForMaps() -> MapStage {
        while true {
            if let now = mapStage { return now }
            changed.wait()
        }
    }

    /// Blocks until `finish`.
    public func wait() -> BatchOutcome {
        seen.withLock { $0.awaited = true }
        while true {
            if let outcome = seen.withLock({ $0.outcome }) { return outcome }
            changed.wait()
        }
    }
}
