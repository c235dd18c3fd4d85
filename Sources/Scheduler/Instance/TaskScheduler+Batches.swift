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
    }

    mutating func addBatch(_ spec: BatchSpec) {
        batches[spec.batch] = BatchState(spec: spec, nowMs: clockMs)
        batchOrder.append(spec.batch)
    }

    mutating func dropJob(_ job: String) {
        for key in batchOrder where key.job == job {
            dropBatch(key)
            stats.batchesCancelled += 1
        }
        lastExecutors[job] = nil
    }

    /// Fails the batch once: cancels what still runs and reports the reason.
    mutating func failBatch(_ key: BatchKey, _ reason: BatchFailureReason) {
        guard batches[key] != nil else { return }
        dropBatch(key)
        emit(.batchFailed(key, reason))
        stats.batchesFailed += 1
    }

    /// Succeeds the batch if every sink stage is complete; what still runs (map tasks recomputing
    /// output nobody needs any more) is cancelled.
    mutating func completeBatchIfDone(_ key: BatchKey) {
        guard let batch = batches[key], batch.isComplete else { return }
        dropBatch(key)
        emit(.batchSucceeded(key))
        stats.batchesSucceeded += 1
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
