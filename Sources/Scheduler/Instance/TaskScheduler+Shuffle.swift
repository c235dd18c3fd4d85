/// Lost shuffle output: which map tasks must run again, and the bound on how often.
extension TaskScheduler {
    /// Every shuffle output of the batch held by a lost executor is gone.
    mutating func loseOutputs(onExecutor executorId: String, in key: BatchKey) {
        guard let batch = batches[key] else { return }
        var lost = 0
        for (stageIndex, stage) in batch.stages.enumerated() where !stage.isSink {
            for (partition, task) in stage.tasks.enumerated() {
                guard let location = task.phase.outputLocation, location.executorId == executorId else { continue }
                batches[key]!.stages[stageIndex].setPhase(partition, lostPhase(location))
                lost += 1
            }
        }
        stats.mapOutputsLost += lost
        if lost > 0 { reviveNeededOutputs(key) }
    }

    /// A reduce attempt could not read this output; ignored if the output it names was already
    /// lost or rewritten since that attempt was launched.
    mutating func loseOutput(_ failure: FetchFailure, in key: BatchKey) {
        guard let batch = batches[key] else { return }
        let phase = batch.stages[failure.stage].tasks[failure.mapPartition].phase
        guard phase.outputLocation == failure.location else { return }
        batches[key]!.stages[failure.stage].setPhase(failure.mapPartition, lostPhase(failure.location))
        // The executor could not serve it, so the rerun goes elsewhere when it can.
        batches[key]!.stages[failure.stage].updateTask(failure.mapPartition) { state in
            state.avoidExecutorId = failure.location.executorId
        }
        stats.mapOutputsLost += 1
        reviveNeededOutputs(key)
    }

    private func lostPhase(_ location: MapOutputLocation) -> TaskPhase {
        .done(attemptId: location.attemptId, executorId: location.executorId, outputLost: true)
    }

    /// Sends back to waiting every lost output some unfinished child stage still needs. Children
    /// have higher indices than their parents, so one pass from the last stage down also catches
    /// parents made needed by a child reviving here. Each stage revived counts as a resubmission.
    private mutating func reviveNeededOutputs(_ key: BatchKey) {
        guard var batch = batches.removeValue(forKey: key) else { return }
        var revivedStages = 0
        var exhausted: (task: TaskKey, launches: Int)?
        for stageIndex in batch.stages.indices.reversed() where !batch.stages[stageIndex].isSink {
            let needed = batch.stages[stageIndex].children.contains { !batch.stages[$0].isComplete }
            guard needed else { continue }
            var revived = false
            for (partition, task) in batch.stages[stageIndex].tasks.enumerated() {
                guard case .done(_, _, true) = task.phase else { continue }
                batch.stages[stageIndex].setPhase(partition, .waiting(sinceMs: clockMs))
                revived = true
                if task.launches >= config.taskLaunchesMax {
                    exhausted = (TaskKey(batch: key, stage: stageIndex, partition: partition), task.launches)
                }
            }
            if revived { revivedStages += 1 }
        }
        batch.resubmissions += revivedStages
        let resubmissions = batch.resubmissions
        batches[key] = batch
        stats.stageResubmissions += revivedStages
        if resubmissions > config.stageResubmissionsPerBatchMax {
            failBatch(key, .stageResubmissionsExhausted(resubmissions: resubmissions))
        } else if let exhausted {
            failBatch(key, .taskLaunchesExhausted(task: exhausted.task, launches: exhausted.launches))
        }
    }
}
