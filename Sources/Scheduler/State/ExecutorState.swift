/// What the scheduler knows of one registered executor.
struct ExecutorState: Sendable {
    let executorId: String
    let slots: Int
    /// Registration order; breaks placement ties so a seed replays exactly.
    let sequence: UInt64
    var lastHeartbeatMs: Int64
    var draining = false
    /// Attempts running here; one slot each.
    var running: Set<UInt64> = []

    var freeSlots: Int { slots - running.count }

    /// Whether this executor is less loaded than `other`: lower share of slots busy, then more
    /// free slots, then registered earlier.
    func isLessLoaded(than other: ExecutorState) -> Bool {
        let mine = running.count * other.slots
        let theirs = other.running.count * slots
        if mine != theirs { return mine < theirs }
        if freeSlots != other.freeSlots { return freeSlots > other.freeSlots }
        return sequence < other.sequence
    }
}

/// One launched attempt that has not finished yet.
struct AttemptRecord: Sendable {
    let attemptId: UInt64
    let task: TaskKey
    let executorId: String
    let attemptNumber: Int
}
