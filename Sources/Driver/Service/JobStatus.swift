import Synchronization

/// Where a job stands right now.
public enum JobRunState: String, Sendable, Equatable, CaseIterable {
    /// Its loop runs.
    case running
    /// Asked to stop; finishing its current batch.
    case stopping
    /// Stopped; its checkpoint stays, and submitting it again resumes it.
    case stopped
    /// Failed; submitting it again resumes it from its checkpoint.
    case failed
}

/// A job's state for `spate status`, `spate jobs` and the HTTP API.
public struct JobSnapshot: Sendable, Equatable {
    /// The job's id (its name).
    public var jobId: String
    /// Running, stopping, stopped or failed.
    public var state: JobRunState
    /// Why it failed.
    public var failure: String?
    /// When it was first submitted (wall clock, ms).
    public var createdAtMs: Int64
    /// The last committed batch.
    public var lastCommittedBatchId: Int64?
    /// The batch running now.
    public var currentBatchId: Int64?
    /// The watermark the next batch runs with.
    public var watermarkMs: Int64?
    /// Batches committed by this driver process.
    public var batchesCommitted: Int64
    /// Totals over the batches this driver process committed.
    public var inputRows: Int64
    /// See `inputRows`.
    public var outputRows: Int64
    /// See `inputRows`.
    public var deadLetters: Int64
    /// The last progress records, oldest first.
    public var recentProgress: [ProgressRecord]

    /// A fresh snapshot.
    public init(jobId: String, state: JobRunState, createdAtMs: Int64) {
        self.jobId = jobId
        self.state = state
        self.createdAtMs = createdAtMs
        failure = nil
        lastCommittedBatchId = nil
        currentBatchId = nil
        watermarkMs = nil
        batchesCommitted = 0
        inputRows = 0
        outputRows = 0
        deadLetters = 0
        recentProgress = []
    }
}

/// A job's status, written by its thread and read by the RPC and HTTP handlers.
final class JobStatusBoard: Sendable {
    /// Progress records kept per job.
    static let progressKept = 100

    private let snapshot: Mutex<JobSnapshot>

    init(_ initial: JobSnapshot) { snapshot = Mutex(initial) }

    /// The current snapshot.
    var current: JobSnapshot { snapshot.withLock { $0 } }

    /// Changes the snapshot.
    func update(_ body: (inout JobSnapshot) -> Void) { snapshot.withLock { body(&$0) } }

    /// Records a committed batch's progress.
    func committed(_ progress: ProgressRecord, nextWatermarkMs: Int64?) {
        snapshot.withLock { status in
            status.lastCommittedBatchId = progress.batchId
            // The next batch may already run while this one's commit was written.
            if let current = status.currentBatchId, current <= progress.batchId { status.currentBatchId = nil }
            status.watermarkMs = nextWatermarkMs
            status.batchesCommitted += 1
            status.inputRows += progress.numInputRows
            status.outputRows += progress.sink.rowsWritten
            status.deadLetters += progress.deadLetters
            status.recentProgress.append(progress)
            if status.recentProgress.count > Self.progressKept {
                status.recentProgress.removeFirst(status.recentProgress.count - Self.progressKept)
            }
        }
    }
}
