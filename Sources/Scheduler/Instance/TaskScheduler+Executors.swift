/// Executors joining, heartbeating, draining and leaving.
extension TaskScheduler {
    func validateRegistration(_ executorId: String, slots: Int) throws(SchedulerError) {
        guard executors[executorId] == nil else { throw .executorAlreadyRegistered(executorId: executorId) }
        guard executors.count < config.executorsMax else { throw .tooManyExecutors(limit: config.executorsMax) }
        guard 1...config.slotsPerExecutorMax ~= slots else {
            throw .slotsOutOfRange(executorId: executorId, slots: slots, limit: config.slotsPerExecutorMax)
        }
    }

    mutating func addExecutor(_ executorId: String, slots: Int) {
        executors[executorId] = ExecutorState(
            executorId: executorId, slots: slots, sequence: nextExecutorSequence, lastHeartbeatMs: clockMs)
        nextExecutorSequence += 1
        executorOrder.append(executorId)
    }

    mutating func noteHeartbeat(_ executorId: String) {
        guard executors[executorId] != nil else { return emit(.executorUnknown(executorId: executorId)) }
        executors[executorId]?.lastHeartbeatMs = clockMs
    }

    mutating func startDraining(_ executorId: String) {
        guard executors[executorId] != nil else { return emit(.executorUnknown(executorId: executorId)) }
        executors[executorId]?.draining = true
    }

    mutating func expireSilentExecutors() {
        for executorId in executorOrder {
            guard let executor = executors[executorId] else { continue }
            let silentMs = minus(clockMs, executor.lastHeartbeatMs)
            if silentMs >= config.executorTimeoutMs {
                removeExecutor(executorId, .heartbeatTimeout(silentMs: silentMs))
            }
        }
    }

    /// The one path by which an executor is lost: its attempts end and their tasks go back to
    /// waiting without blame, and the shuffle output it held is lost.
    mutating func removeExecutor(_ executorId: String, _ reason: ExecutorLossReason) {
        guard let executor = executors[executorId] else { return }
        // End every attempt before anything can fail a batch, so no cancel names this executor.
        let ended = executor.running.sorted().map { endAttempt($0) }
        forget(executorId)
        emit(.executorLost(executorId: executorId, reason: reason))
        stats.executorsLost += 1
        stats.attemptsLostWithExecutor += ended.count
        for attempt in ended { requeue(attempt.task, blame: nil) }
        for key in batchOrder { loseOutputs(onExecutor: executorId, in: key) }
    }

    /// Releases every draining executor with no running attempt and no shuffle output a stage
    /// still reads. When every executor is draining, held output is no reason to stay: no one is
    /// left to read it, so waiting would only hold the leaving processes until their own timeout.
    /// The stage reruns on whichever executor joins next, as after a loss.
    mutating func releaseDrainedExecutors() {
        let anyoneStays = executors.values.contains { !$0.draining }
        for executorId in executorOrder {
            guard let executor = executors[executorId], executor.draining, executor.running.isEmpty else { continue }
            guard !anyoneStays || !holdsOutput(executorId) else { continue }
            forget(executorId)
            // Output no stage needs now may be needed again if a child's is lost; then it reruns.
            for key in batchOrder { loseOutputs(onExecutor: executorId, in: key) }
            emit(.releaseExecutor(executorId: executorId))
            stats.executorsReleased += 1
        }
    }

    /// Whether the executor holds shuffle output that a stage not yet complete may still read.
    func holdsOutput(_ executorId: String) -> Bool {
        batches.values.contains { batch in
            batch.stages.contains { stage in
                stage.children.contains { !batch.stages[$0].isComplete }
                    && stage.tasks.contains { $0.phase.outputLocation?.executorId == executorId }
            }
        }
    }

    private mutating func forget(_ executorId: String) {
        executors[executorId] = nil
        executorOrder.removeAll { $0 == executorId }
    }
}
