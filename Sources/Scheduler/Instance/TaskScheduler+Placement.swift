/// Placement: FIFO over batches, free slots only, locality first, then the least loaded executor.
extension TaskScheduler {
    /// Fills free slots with waiting tasks whose parents' output is all there. Runs after every event.
    mutating func placeTasks() {
        var freeSlots = executorOrder.reduce(0) { total, executorId in
            guard let executor = executors[executorId], !executor.draining else { return total }
            return total + executor.freeSlots
        }
        for key in batchOrder {
            markRunnableStages(key)
            guard freeSlots > 0 else { continue }
            for stageIndex in batches[key]!.stages.indices where freeSlots > 0 {
                guard let (partitionCount, runnableSinceMs) = placeableStage(key, stageIndex) else { continue }
                for partition in 0..<partitionCount where freeSlots > 0 {
                    let state = batches[key]!.stages[stageIndex].tasks[partition]
                    guard case .waiting(let sinceMs) = state.phase else { continue }
                    let task = TaskKey(batch: key, stage: stageIndex, partition: partition)
                    let readyMs = max(sinceMs, runnableSinceMs)
                    guard let executorId = chooseExecutor(for: task, state, readyMs: readyMs) else { continue }
                    launch(task, on: executorId)
                    freeSlots -= 1
                }
            }
        }
    }

    /// When `tick` next has something to do (an executor times out, a locality wait ends); nil if
    /// nothing is pending on time.
    public var nextDeadlineMs: Int64? {
        var deadlines = executors.values.map { plus($0.lastHeartbeatMs, config.executorTimeoutMs) }
        for key in batchOrder {
            guard let batch = batches[key] else { continue }
            for (stageIndex, stage) in batch.stages.enumerated() where stage.waitingCount > 0 {
                guard let runnableSinceMs = stage.runnableSinceMs else { continue }
                for (partition, state) in stage.tasks.enumerated() {
                    guard case .waiting(let sinceMs) = state.phase else { continue }
                    let task = TaskKey(batch: key, stage: stageIndex, partition: partition)
                    guard usablePreference(for: task, state) != nil else { continue }
                    let endMs = plus(max(sinceMs, runnableSinceMs), config.localityWaitMs)
                    if endMs > clockMs { deadlines.append(endMs) }
                }
            }
        }
        return deadlines.min()
    }

    /// Starts (or stops) each stage's runnable clock as its parents' output comes and goes.
    private mutating func markRunnableStages(_ key: BatchKey) {
        for stageIndex in batches[key]!.stages.indices {
            let runnable = batches[key]!.parentsAvailable(stageIndex)
            let since = batches[key]!.stages[stageIndex].runnableSinceMs
            if runnable && since == nil {
                batches[key]!.stages[stageIndex].runnableSinceMs = clockMs
            } else if !runnable && since != nil {
                batches[key]!.stages[stageIndex].runnableSinceMs = nil
            }
        }
    }

    /// Partition count and runnable time of a stage with waiting tasks it may start now.
    private func placeableStage(_ key: BatchKey, _ stageIndex: Int) -> (Int, Int64)? {
        guard let stage = batches[key]?.stages[stageIndex], stage.waitingCount > 0 else { return nil }
        guard let runnableSinceMs = stage.runnableSinceMs else { return nil }
        return (stage.tasks.count, runnableSinceMs)
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

    private mutating func launch(_ task: TaskKey, on executorId: String) {
        let attemptId = nextAttemptId
        nextAttemptId += 1
        var attemptNumber = 0
        batches[task.batch]!.stages[task.stage].updateTask(task.partition) { state in
            attemptNumber = state.launches
            state.launches += 1
        }
        setPhase(task, .running(attemptId: attemptId))
        attempts[attemptId] = AttemptRecord(
            attemptId: attemptId, task: task, executorId: executorId, attemptNumber: attemptNumber)
        executors[executorId]!.running.insert(attemptId)
        let executor = executors[executorId]!
        precondition(executor.running.count <= executor.slots && !executor.draining, "\(executorId) over capacity")
        let launch = TaskLaunch(
            attemptId: attemptId, task: task, attemptNumber: attemptNumber, executorId: executorId,
            inputs: shuffleInputs(for: task))
        emit(.launch(launch))
        stats.attemptsLaunched += 1
    }

    /// Where every parent map partition's output lives; all of it exists, or the task would wait.
    private func shuffleInputs(for task: TaskKey) -> [ShuffleInput] {
        let batch = batches[task.batch]!
        return batch.stages[task.stage].parents.map { parent in
            let outputs = batch.stages[parent].tasks.compactMap(\.phase.outputLocation)
            precondition(outputs.count == batch.stages[parent].tasks.count, "\(task) launched before its inputs")
            return ShuffleInput(stage: parent, mapOutputs: outputs)
        }
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
