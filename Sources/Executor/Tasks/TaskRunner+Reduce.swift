import Query
import Wire

extension TaskRunner {
    /// Gathers the partition's blocks, restores its state at the wanted version, merges, and keeps
    /// the new version in memory only once everything has succeeded.
    func runReduce(
        _ context: TaskContext, _ job: CompiledJob, outputs: [ShuffleBlockSource], stateVersion: Int64?,
        snapshotWanted: Bool
    ) throws -> ReduceTaskReport {
        let task = context.task
        guard case .aggregate = job.plan.body else {
            throw TaskFailure("job \(task.jobId) has no aggregation, so no reduce stage")
        }
        guard task.partition >= 0, Int(task.partition) < job.plan.shufflePartitions else {
            throw TaskFailure("partition \(task.partition) is outside the job's 0..<\(job.plan.shufflePartitions)")
        }
        let blocks = try context.clock.measure(.read) {
            try ShuffleFetch(runner: self, context: context).blocks(outputs)
        }
        context.clock.count(blocks.count)
        try context.cancel.check(before: "restoring state")
        var state = try context.clock.measure(.read) { try restoreState(context, job, version: stateVersion) }
        try context.cancel.check(before: "merging into state")
        let (output, snapshot) = try context.clock.measure(.run) {
            let output = try ReduceTask.run(
                plan: job.plan, partition: Int(task.partition), blocks: blocks, state: &state, batchId: task.batchId,
                watermarkMs: task.watermarkMs)
            return (output, snapshotWanted ? state.snapshot() : nil)
        }
        try context.cancel.check(before: "reporting")
        states.put(jobId: task.jobId, partition: task.partition, state: state)
        let metrics = output.metrics
        return ReduceTaskReport(
            rows: output.rows, stateDelta: output.stateDelta, stateSnapshot: snapshot,
            stateRowsTotal: Int64(metrics.rowsTotal), stateRowsUpdated: Int64(metrics.rowsUpdated),
            stateRowsEvicted: Int64(metrics.rowsEvicted), stateMemoryBytes: Int64(metrics.memoryBytes))
    }

    /// The state at `version`: empty for nil, from memory when held at exactly that version, else
    /// restored from the snapshot and deltas the driver keeps.
    private func restoreState(_ context: TaskContext, _ job: CompiledJob, version: Int64?) throws -> AggregationState {
        let task = context.task
        let partition = Int(task.partition)
        guard let version else {
            return try AggregationState(plan: job.plan, partition: partition, stateBytesMax: settings.stateBytesMax)
        }
        if let held = states.take(jobId: task.jobId, partition: task.partition, version: version) { return held }
        let versions = try fetchState(context, version: version)
        let state: AggregationState
        do {
            state = try AggregationState(
                plan: job.plan, partition: partition, snapshot: versions.snapshot?.bytes,
                deltas: versions.deltas.map(\.bytes), stateBytesMax: settings.stateBytesMax)
        } catch {
            throw TaskFailure("cannot restore state partition \(partition) at version \(version): \(error)")
        }
        guard state.version == version else {
            throw TaskFailure(
                "the driver's state of partition \(partition) ends at version \(state.version), "
                    + "but the task needs version \(version)")
        }
        return state
    }

    private func fetchState(_ context: TaskContext, version: Int64) throws(TaskFailure) -> StateVersions {
        let request = StateRequest(jobId: context.task.jobId, partition: context.task.partition, version: version)
        let connection = context.session.connection
        let timeoutMs = settings.fetchTimeoutMs
        do {
            let reply = try BlockingWait.run {
                try await connection.call(
                    ClusterMessageKind.fetchState.rawValue, request.encoded(), timeoutMs: timeoutMs)
            }
            return try StateVersions.decode(reply)
        } catch {
            throw TaskFailure(
                "cannot fetch state partition \(context.task.partition) at version \(version) from the driver: \(error)"
            )
        }
    }
}
