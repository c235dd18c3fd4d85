/// Attempts ending: success, failure, or their executor going away.
extension TaskScheduler {
    mutating func handleSuccess(attemptId: UInt64, executorId: String) {
        guard let attempt = liveAttempt(attemptId, from: executorId) else { return }
        endAttempt(attemptId)
        let task = attempt.task
        setPhase(task, .done(attemptId: attemptId, executorId: executorId, outputLost: false))
        if batches[task.batch]?.stages[task.stage].remembersPlacement ?? false {
            lastExecutors[task.job, default: [:]][StageCell(stage: task.stage, partition: task.partition)] = executorId
        }
        emit(.resultAccepted(attemptId: attemptId, task: task, executorId: executorId))
        stats.resultsAccepted += 1
        completeBatchIfDone(task.batch)
    }

    mutating func handleFailure(attemptId: UInt64, executorId: String, error: String, fetchFailure: FetchFailure?) {
        guard let attempt = liveAttempt(attemptId, from: executorId) else { return }
        endAttempt(attemptId)
        let task = attempt.task
        if let fetchFailure, isParentOutput(fetchFailure, of: task) {
            stats.fetchFailures += 1
            requeue(task, blame: nil)
            loseOutput(fetchFailure, in: task.batch)
        } else {
            stats.failuresCounted += 1
            requeue(task, blame: (executorId, error))
        }
    }

    /// The running attempt a report is about, nil (and counted) if it is stale: unknown, already
    /// finished, or not from the executor it was launched on.
    private mutating func liveAttempt(_ attemptId: UInt64, from executorId: String) -> AttemptRecord? {
        guard let attempt = attempts[attemptId], attempt.executorId == executorId else {
            stats.staleReportsIgnored += 1
            return nil
        }
        return attempt
    }

    /// The one way an attempt ends: it leaves the attempt table, frees its slot, and its task (if
    /// its batch is still kept) stops running and waits; the caller moves it on from there. So a
    /// task runs exactly while its attempt is in the table, even midway through an event.
    @discardableResult
    mutating func endAttempt(_ attemptId: UInt64) -> AttemptRecord {
        guard let attempt = attempts.removeValue(forKey: attemptId) else {
            preconditionFailure("attempt \(attemptId) finishes twice")
        }
        let freed = executors[attempt.executorId]?.running.remove(attemptId)
        precondition(freed != nil, "attempt \(attemptId) held no slot on \(attempt.executorId)")
        if batches[attempt.task.batch] != nil {
            precondition(
                phase(of: attempt.task) == .running(attemptId: attemptId), "\(attempt.task) ran another attempt")
            setPhase(attempt.task, .waiting(sinceMs: clockMs))
        }
        return attempt
    }

    /// Settles a task whose attempt ended without a result (`endAttempt` left it waiting). A
    /// `blame` counts against its `attemptsMax` and steers the retry away from that executor; no
    /// blame (executor lost, fetch failure) is free, up to `taskLaunchesMax`.
    mutating func requeue(_ task: TaskKey, blame: (executorId: String, error: String)?) {
        guard batches[task.batch] != nil else { return }
        precondition(phase(of: task)?.isWaiting == true, "\(task) requeued while not waiting")
        var failures = 0
        var launches = 0
        batches[task.batch]!.stages[task.stage].updateTask(task.partition) { state in
            if let blame {
                state.failures += 1
                state.avoidExecutorId = blame.executorId
            }
            failures = state.failures
            launches = state.launches
        }
        if let blame, failures >= config.attemptsMax {
            failBatch(task.batch, .taskFailed(task: task, attempts: failures, error: blame.error))
        } else if launches >= config.taskLaunchesMax {
            failBatch(task.batch, .taskLaunchesExhausted(task: task, launches: launches))
        }
    }

    /// Whether the fetch failure names a partition of one of the task's parent stages.
    private func isParentOutput(_ failure: FetchFailure, of task: TaskKey) -> Bool {
        guard let batch = batches[task.batch], batch.stages[task.stage].parents.contains(failure.stage) else {
            return false
        }
        return batch.stages[failure.stage].tasks.indices.contains(failure.mapPartition)
    }

    func phase(of task: TaskKey) -> TaskPhase? {
        batches[task.batch]?.stages[task.stage].tasks[task.partition].phase
    }

    mutating func setPhase(_ task: TaskKey, _ phase: TaskPhase) {
        batches[task.batch]!.stages[task.stage].setPhase(task.partition, phase)
    }
}
