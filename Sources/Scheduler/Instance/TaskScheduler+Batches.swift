/// Batches arriving, finishing, failing and being cancelled.
extension TaskScheduler {
    func validate(_ spec: BatchSpec) throws(SchedulerError) {
        let key = spec.batch
        guard batches[key] == nil else { throw .batchAlreadySubmitted(key) }
        guard batches.count < config.batchesInFlightMax else {
            throw .tooManyBatchesInFlight(limit: config.batchesInFlightMax)
        }
        guard 1...config.stagesPerBatchMax ~= spec.stages.count else {
            throw .stageCountOutOfRange(key, count: spec.stages.count, limit: config.stagesPerBatchMax)
        }
        for (index, stage) in spec.stages.enumerated() {
            guard 1...config.partitionsPerStageMax ~= stage.partitionCount else {
                throw .partitionCountOutOfRange(
                    key, stage: index, count: stage.partitionCount, limit: config.partitionsPerStageMax)
            }
            var seen = Set<Int>()
            for parent in stage.parents {
                // Parents before children makes a cycle impossible.
                guard 0..<index ~= parent, seen.insert(parent).inserted else {
                    throw .invalidParent(key, stage: index, parent: parent)
                }
            }
            for partition in stage.preferredExecutors.keys where !(0..<stage.partitionCount ~= partition) {
                throw .preferredPartitionOutOfRange(key, stage: index, partition: partition)
            }
        }
        // Only an earlier batch: then waiting can never go round in a circle.
        if let after = spec.after, after >= key.batchId { throw .invalidPredecessor(key, after: after) }
    }

    /// Keeps the batch; its shuffle-reading stages wait for `after` only if that batch is in flight,
    /// since one that has already ended has left (or never will leave) its state.
    mutating func addBatch(_ spec: BatchSpec) {
        let predecessor = spec.after.map { BatchKey(job: spec.batch.job, batchId: $0) }
        let gatedBy = predecessor.flatMap { batches[$0] != nil ? $0 : nil }
        batches[spec.batch] = BatchState(spec: spec, gatedBy: gatedBy, nowMs: clockMs)
        batchOrder.append(spec.batch)
    }

    mutating func dropJob(_ job: String) {
        for key in batchOrder where key.job == job {
            dropBatch(key)
            stats.batchesCancelled += 1
        }
        lastExecutors[job] = nil
    }

    /// Fails the batch once: cancels what still runs and reports the reason. Then every batch
    /// waiting for it fails, and every batch waiting for one of those, each once, in that order.
    mutating func failBatch(_ key: BatchKey, _ reason: BatchFailureReason) {
        guard batches[key] != nil else { return }
        // A batch waits for one batch only, so each joins this list at most once.
        var failing = [(key: key, reason: reason)]
        var next = 0
        while next < failing.count {
            let (failed, why) = failing[next]
            next += 1
            precondition(batches[failed] != nil, "\(failed) fails twice")
            dropBatch(failed)
            emit(.batchFailed(failed, why))
            stats.batchesFailed += 1
            for successor in batchOrder where batches[successor]?.gatedBy == failed {
                failing.append((successor, .predecessorFailed(failed)))
            }
        }
    }

    /// Succeeds the batch if every sink stage is complete; what still runs (map tasks recomputing
    /// output nobody needs any more) is cancelled. Batches waiting for it may reduce from now on:
    /// the placement that ends this event already launches their tasks.
    mutating func completeBatchIfDone(_ key: BatchKey) {
        guard let batch = batches[key], batch.isComplete else { return }
        dropBatch(key)
        emit(.batchSucceeded(key))
        stats.batchesSucceeded += 1
        for successor in batchOrder where batches[successor]?.gatedBy == key {
            batches[successor]?.gatedBy = nil
        }
    }

    /// The one place a batch's bookkeeping goes: its running attempts are cancelled first.
    private mutating func dropBatch(_ key: BatchKey) {
        guard let batch = batches.removeValue(forKey: key) else { return }
        batchOrder.removeAll { $0 == key }
        for attemptId in batch.runningAttemptIds {
            let attempt = endAttempt(attemptId)
            emit(.cancelAttempt(attemptId: attemptId, executorId: attempt.executorId))
            stats.attemptsCancelled += 1
        }
    }
}
