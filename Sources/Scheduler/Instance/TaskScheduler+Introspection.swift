/// Read-only views for the driver's status page and for tests, and the invariant check.
extension TaskScheduler {
    /// Registered executors, in registration order.
    public var executorStatuses: [ExecutorStatus] {
        executorOrder.compactMap { executors[$0] }.map { executor in
            ExecutorStatus(
                executorId: executor.executorId, slots: executor.slots, runningAttempts: executor.running.count,
                draining: executor.draining, lastHeartbeatMs: executor.lastHeartbeatMs)
        }
    }

    /// Batches in flight, in submission order.
    public var batchStatuses: [BatchStatus] {
        batchOrder.compactMap { batches[$0] }.map { batch in
            let stages = batch.stages.map { stage in
                StageStatus(
                    partitionCount: stage.tasks.count, waiting: stage.waitingCount,
                    running: stage.tasks.count - stage.waitingCount - stage.doneCount, done: stage.doneCount,
                    outputsAvailable: stage.outputCount)
            }
            return BatchStatus(batch: batch.key, stages: stages, resubmissions: batch.resubmissions)
        }
    }

    /// Attempts running now, by attempt id.
    public var runningAttempts: [AttemptStatus] {
        attempts.keys.sorted().compactMap(attemptStatus)
    }

    /// The attempt if it is running and its report would be taken; nil if it would be ignored.
    public func attemptStatus(_ attemptId: UInt64) -> AttemptStatus? {
        attempts[attemptId].map { attempt in
            AttemptStatus(
                attemptId: attempt.attemptId, task: attempt.task, executorId: attempt.executorId,
                attemptNumber: attempt.attemptNumber)
        }
    }

    /// No batch in flight and no attempt running: nothing is left of any finished batch.
    public var isIdle: Bool { batches.isEmpty && batchOrder.isEmpty && attempts.isEmpty }

    /// Every broken internal invariant, described; empty when the bookkeeping is consistent.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append(message()) }
        }
        check(Set(executorOrder) == Set(executors.keys) && executorOrder.count == executors.count, "executor order")
        check(Set(batchOrder) == Set(batches.keys) && batchOrder.count == batches.count, "batch order")
        var slotted = 0
        for executor in executors.values {
            check(executor.running.count <= executor.slots, "\(executor.executorId) over capacity")
            for attemptId in executor.running {
                check(attempts[attemptId]?.executorId == executor.executorId, "slot on \(executor.executorId)")
            }
            slotted += executor.running.count
        }
        check(slotted == attempts.count, "\(attempts.count) attempts but \(slotted) slots taken")
        for attempt in attempts.values {
            check(phase(of: attempt.task) == .running(attemptId: attempt.attemptId), "attempt \(attempt.attemptId)")
        }
        for batch in batches.values { problems += violations(in: batch) }
        for executor in executors.values where executor.draining && executor.running.isEmpty {
            check(holdsOutput(executor.executorId), "drained \(executor.executorId) not released")
        }
        return problems
    }

    private func violations(in batch: BatchState) -> [String] {
        var problems: [String] = []
        if batch.isComplete { problems.append("\(batch.key) complete but kept") }
        for (stageIndex, stage) in batch.stages.enumerated() {
            if !stage.countersAreConsistent { problems.append("\(batch.key)/\(stageIndex) counters") }
            for (partition, task) in stage.tasks.enumerated() {
                let key = TaskKey(batch: batch.key, stage: stageIndex, partition: partition)
                switch task.phase {
                case .running(let attemptId):
                    if attempts[attemptId]?.task != key { problems.append("\(key) runs unknown \(attemptId)") }
                case .done(_, let executorId, false) where !stage.isSink:
                    if executors[executorId] == nil { problems.append("\(key) output on gone \(executorId)") }
                case .waiting, .done:
                    break
                }
                if task.failures >= config.attemptsMax { problems.append("\(key) failed too often to be kept") }
            }
        }
        return problems
    }
}
