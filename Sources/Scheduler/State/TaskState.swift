/// Where a task is in its life within a batch.
enum TaskPhase: Equatable, Sendable {
    /// Needs to run; `sinceMs` starts its locality wait (together with the stage becoming runnable).
    case waiting(sinceMs: Int64)
    /// An attempt is running.
    case running(attemptId: UInt64)
    /// Has its accepted result. `outputLost`: the shuffle output it wrote is gone, which matters
    /// only while a child stage still needs it (then the task goes back to waiting).
    case done(attemptId: UInt64, executorId: String, outputLost: Bool)

    var isWaiting: Bool {
        if case .waiting = self { return true }
        return false
    }

    var isDone: Bool {
        if case .done = self { return true }
        return false
    }

    /// Where its shuffle output can be read, nil unless done with the output intact.
    var outputLocation: MapOutputLocation? {
        guard case .done(let attemptId, let executorId, false) = self else { return nil }
        return MapOutputLocation(executorId: executorId, attemptId: attemptId)
    }
}

/// One task's bookkeeping.
struct TaskState: Sendable {
    var phase: TaskPhase
    /// Failures counted against `attemptsMax`.
    var failures = 0
    /// Attempts launched so far; the next attempt's number.
    var launches = 0
    /// The executor its last counted failure happened on; the retry goes elsewhere when it can.
    var avoidExecutorId: String?
    /// From the batch spec; overrides what the scheduler remembers.
    let preferredExecutorId: String?
}
