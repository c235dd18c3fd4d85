import Synchronization

/// Set by `cancelTask` (or when the driver connection is lost); a task checks it between phases.
final class CancelFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    private let why = Mutex<String>("")

    /// Marks the attempt cancelled; the first reason sticks.
    func cancel(_ reason: String) {
        why.withLock { if $0.isEmpty { $0 = reason } }
        flag.store(true, ordering: .releasing)
    }

    /// True once cancelled.
    var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// Throws if the attempt was cancelled, naming the phase it did not start.
    func check(before phase: String) throws(TaskFailure) {
        guard isCancelled else { return }
        throw TaskFailure("cancelled before \(phase): \(why.withLock { $0 })")
    }
}
