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

    /// A batch request.
    public init(jobId: String, jobSQL: String, offsets: OffsetEntry, reducePartitions: Int?, snapshotWanted: Bool) {
        self.jobId = jobId
        self.jobSQL = jobSQL
        self.offsets = offsets
        self.reducePartitions = reducePartitions
        self.snapshotWanted = snapshotWanted
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
    /// Runs `request` to its end; blocks the calling (job) thread meanwhile.
    func run(_ request: BatchRequest) -> BatchOutcome
    /// Ends the job's batch in flight with `.cancelled`.
    func cancel(jobId: String)
    /// Tells executors the shuffle output of the job's batches up to `batchId` may go.
    func releaseShuffle(jobId: String, batchId: Int64)
}

/// Where a job thread waits for its batch's outcome.
final class BatchWaiter: Sendable {
    private let outcome = Mutex<BatchOutcome?>(nil)
    private let signal = DispatchSemaphore(value: 0)

    /// Sets the outcome once; later calls are ignored.
    func finish(_ result: BatchOutcome) {
        let first = outcome.withLock { slot -> Bool in
            guard slot == nil else { return false }
            slot = result
            return true
        }
        if first { signal.signal() }
    }

    /// Blocks until `finish`.
    func wait() -> BatchOutcome {
        signal.wait()
        return outcome.withLock { $0 } ?? .cancelled
    }
}
