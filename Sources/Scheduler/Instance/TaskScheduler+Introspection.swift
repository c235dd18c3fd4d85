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
            return BatchStatus(
                batch: batch.key, stages: stages, resubmissions: batch.resubmissions, gatedBy: batch.gatedBy)
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

    /// Batches in flight, in submission order.
    public var batchKeysInFlight: [BatchKey] { batchOrder }

    /// How many attempts are running.
    public var runningAttemptCount: Int { attempts.count }

    /// No batch in flight and no attempt running: nothing is left of any finished batch.
    public var isIdle: Bool { batches.isEmpty && batchOrder.isEmpty && attempts.isEmpty }

    /// Every broken internal invariant, described; empty when the bookkeeping is consistent.
    /// Plain loops: tests call this after every simulated event, in debug builds.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        if executorOrder.count != executors.count { problems.append("executor order out of step") }
        if batchOrder.count != batches.count { problems.append("batch order out of step") }
        var slotted = 0
        for executorId in executorOrder {
            guard let executor = executors[executorId] else {
                problems.append("ordered executor \(executorId) unknown")
                continue
            }
            if executor.running.count > executor.slots { problems.append("\(executorId) over capacity") }
            for attemptId in executor.running where attempts[attemptId]?.executorId != executorId {
                problems.append("slot on \(executorId) held by \(attemptId)")
            }
            slotted += executor.running.count
            if executor.draining && executor.running.isEmpty && !holdsOutput(executorId) {
                problems.append("drained \(executorId) not released")
            }
        }
        if slotted != attempts.count { problems.append("\(attempts.count) attempts but \(slotted) slots taken") }
        for attempt in attempts.values where phase(of: attempt.task) != .running(attemptId: attempt.attemptId) {
            problems.append("attempt \(attempt.attemptId) is not its task's")
        }
        // Every attempt runs its task (above) and as many tasks run as attempts: the same set.
        var running = 0
        var ordered: Set<BatchKey> = []
        for key in batchOrder {
            guard let batch = batches[key] else {
                problems.append("ordered batch \(key) unknown")
                continue
            }
            // The batch waited for is in flight, of the same job, and ahead in FIFO order.
            if let predecessor = batch.gatedBy, !ordered.contains(predecessor) || predecessor.job != key.job {
                problems.append("\(key) waits for \(predecessor), not an earlier batch of its job in flight")
            }
            ordered.insert(key)
            let (batchProblems, batchRunning) = violations(in: batch)
            problems += batchProblems
            running += batchRunning
        }
        if running != attempts.count { problems.append("\(running) tasks running, \(attempts.count) attempts") }
        return problems
    }

    /// A batch's own problems, and how many of its tasks are running.
    private func violations(in batch: BatchState) -> (problems: [String], running: Int) {
        var problems: [String] = []
        var running = 0
        if batch.isComplete { problems.append("\(batch.key) complete but kept") }
        for stageIndex in 0..<batch.stages.count {
            let stage = batch.stages[stageIndex]
            if !stage.countersAreConsistent { problems.append("\(batch.key)/\(stageIndex) counters") }
            running += stage.tasks.count - stage.waitingCount - stage.doneCount
            // A gate only ever opens, so a stage behind a closed one has never launched a task.
            if batch.gatedBy != nil && !stage.parents.isEmpty
                && (stage.waitingCount != stage.tasks.count || stage.runnableSinceMs != nil)
            {
                problems.append("\(batch.key)/\(stageIndex) ran or became runnable behind its gate")
            }
            guard !stage.isSink else { continue }
            for task in stage.tasks {
                guard let location = task.phase.outputLocation, executors[location.executorId] == nil else { continue }
                problems.append("\(batch.key)/\(stageIndex) has output on gone \(location.executorId)")
            }
        }
        return (problems, running)
    }
}
