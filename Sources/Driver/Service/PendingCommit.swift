import Dispatch
import Synchronization

/// A batch's commit running on a thread of its own while the job loop plans and runs the next
/// batch. Its outcome is set once; the loop settles it before the next commit and before it ends.
final class PendingCommit: Sendable {
    /// The batch being committed.
    let batchId: Int64
    private let outcome = Mutex<JobRunner.CommitResult?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(batchId: Int64) {
        self.batchId = batchId
    }

    /// Records how the commit ended; a second call is a bug.
    func finish(_ result: JobRunner.CommitResult) {
        outcome.withLock { slot in
            precondition(slot == nil, "a commit ends once")
            slot = result
        }
        done.signal()
    }

    /// How the commit ended, or nil while it runs.
    var result: JobRunner.CommitResult? { outcome.withLock { $0 } }

    /// Blocks until the commit has ended.
    func wait() -> JobRunner.CommitResult {
        done.wait()
        done.signal()
        return result ?? .failed("a commit ended without a result")
    }

    /// Blocks until the commit has ended or `timeoutMs` passed; true when it ended.
    func wait(timeoutMs: Int) -> Bool {
        guard done.wait(timeout: .now() + .milliseconds(timeoutMs)) == .success else { return false }
        done.signal()
        return true
    }
}
