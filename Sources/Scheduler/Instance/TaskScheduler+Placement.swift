/// Placement: FIFO over batches, free slots only, locality first, then the least loaded executor.
extension TaskScheduler {
    /// Fills free slots with waiting tasks whose parents' output is all there. Runs after every event.
    mutating func placeTasks() {
        var freeSlots = 0
        for executorId in executorOrder {
            guard let executor = executors[executorId], !executor.draining else { continue }
            freeSlots += executor.freeSlots
        }
        for key in batchOrder {
            batches[key]?.markRunnableStages(nowMs: clockMs)
            guard freeSlots > 0, var batch = batches.removeValue(forKey: key) else { continue }
            // Out of the dictionary while it is worked on, so launching copies nothing on write.
            place(&batch, freeSlots: &freeSlots)
            batches[key] = batch
        }
    }

    /// Places the batch's runnable waiting tasks in stage and partition order while slots last.
    private mutating func place(_ batch: inout BatchState, freeSlots: inout Int) {
        for stageIndex in 0..<batch.stages.count where freeSlots > 0 {
            guard batch.stages[stageIndex].waitingCount > 0 else { continue }
            guard let runnableSinceMs = batch.stages[stageIndex].runnableSinceMs else { continue }
            for partition in 0..<batch.stages[stageIndex].tasks.count where freeSlots > 0 {
                let state = batch.stages[stageIndex].tasks[partition]
                guard case .waiting(let sinceMs) = state.phase else { continue }
                let task = TaskKey(batch: batch.key, stage: stageIndex, partition: partition)
                let readyMs = max(sinceMs, runnableSinceMs)
                guard let executorId = chooseExecutor(for: task, state, readyMs: readyMs) else { continue }
                launch(task, in: &batch, on: executorId)
                freeSlots -= 1
            }
        }
    }

    /// When `tick` next has something to do (an executor times out, a locality wait ends); nil if
    /// nothing is pending on time.
    public var nextDeadlineMs: Int64? {
        var deadlineMs: Int64?
        for executor in executors.values {
            deadlineMs = min(deadlineMs ?? .max, plus(executor.lastHeartbeatMs, config.executorTimeoutMs))
        }
        guard config.localityWaitMs > 0 else { return deadlineMs }
        for key in batchOrder {
            guard let batch = batches[key] else { continue }
            for stageIndex in 0..<batch.stages.count where batch.stages[stageIndex].waitingCount > 0 {
                guard let runnableSinceMs = batch.stages[stageIndex].runnableSinceMs else { continue }
                for partition in 0..<batch.stages[stageIndex].tasks.count {
                    let state = batch.stages[stageIndex].tasks[partition]
                    guard case .waiting(let sinceMs) = state.phase else { continue }
                    let task = TaskKey(batch: key, stage: stageIndex, partition: partition)
                    guard usablePreference(for: task, state) != nil else { continue }
                    let endMs = plus(max(sinceMs, runnableSinceMs), config.localityWaitMs)
                    if endMs > clockMs { deadlineMs = min(deadlineMs ?? .max, endMs) }
                }
            }
        }
        return deadlineMs
    }

    /// The preferred executor if it can take the task at all: alive, not draining, not the one
    /// the task just failed on.
    func usablePreference(for task: TaskKey, _ state: TaskState) -> ExecutorState? {
        let cell = StageCell(stage: task.stage, partition: task.partition)
        guard let preferred = state.preferredExecutorId ?? lastExecutors[task.job]?[cell] else { return nil }
        guard preferred != state.avoidExecutorId, let executor = executors[preferred], !executor.draining else {
            return nil
        }
        return executor
    }

    /// Where the task goes now, nil to leave it waiting: its preferred executor if free; nothing
    /// while its locality wait lasts; else the least loaded free executor other than the one it
    /// just failed on, which it gets only when no other executor could take it later.
    private func chooseExecutor(for task: TaskKey, _ state: TaskState, readyMs: Int64) -> String? {
        if let preferred = usablePreference(for: task, state) {
            if preferred.freeSlots > 0 { return preferred.executorId }
            if clockMs < plus(readyMs, config.localityWaitMs) { return nil }
        }
        var best: ExecutorState?
        var avoidedIsFree = false
        var anotherExists = false
        for executorId in executorOrder {
            guard let executor = executors[executorId], !executor.draining else { continue }
            if executorId == state.avoidExecutorId {
                avoidedIsFree = executor.freeSlots > 0
                continue
            }
            anotherExists = true
            if executor.freeSlots > 0, best.map({ executor.isLessLoaded(than: $0) }) ?? true { best = executor }
        }
        if let best { return best.executorId }
        return avoidedIsFree && !anotherExists ? state.avoidExecutorId : nil
    }

    private mutating func launch(_ task: TaskKey, in batch: inout BatchState, on executorId: String) {
        // A task reading shuffle may restore the state its predecessor batch leaves: never before that ends.
        precondition(
            batch.stages[task.stage].parents.isEmpty || batch.gatedBy == nil,
            "\(task) launched while \(String(describing: batch.gatedBy)) is in flight")
        let attemptId = nextAttemptId
        nextAttemptId += 1
        var attemptNumber = 0
        batch.stages[task.stage].updateTask(task.partition) { state in
            attemptNumber = state.launches
            state.launches += 1
        }
        batch.stages[task.stage].setPhase(task.partition, .running(attemptId: attemptId))
        attempts[attemptId] = AttemptRecord(
            attemptId: attemptId, task: task, executorId: executorId, attemptNumber: attemptNumber)
        executors[executorId]!.running.insert(attemptId)
        let executor = executors[executorId]!
        precondition(executor.running.count <= executor.slots && !executor.draining, "\(executorId) over capacity")
        let launch = TaskLaunch(
            attemptId: attemptId, task: task, attemptNumber: attemptNumber, executorId: executorId,
            inputs: batch.shuffleInputs(for: task.stage))
        emit(.launch(launch))
        stats.attemptsLaunched += 1
    }
}

/// `a + b`, pinned to `Int64.max` instead of trapping: times come from outside.
func plus(_ a: Int64, _ b: Int64) -> Int64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? .max : sum
}

/// `a - b`, pinned to `Int64.max` or `.min` instead of trapping.
func minus(_ a: Int64, _ b: Int64) -> Int64 {
    let (difference, overflow) = a.subtractingReportingOverflow(b)
    return overflow ? (b < 0 ? .max : .min) : difference
}
