import Query

extension JobRunner {
    /// Builds batch N's progress record, keeps it in the status and counts it in the metrics.
    func recordProgress(_ context: BatchContext, _ commit: CommitEntry, commitMs: Int64, previousTriggerMs: Int64?) {
        guard let results = context.results else { return }
        let entry = context.entry
        let durations = BatchDurations(
            latestOffsetMs: context.latestOffsetMs, walCommitMs: context.walCommitMs, planningMs: context.planningMs,
            executionMs: context.executionMs, commitMs: commitMs)
        let input = commit.inputRecords
        let sinceLastTriggerMs = previousTriggerMs.map { entry.plannedAtMs - $0 } ?? 0
        let state: StateOperatorProgress? =
            isAggregation
            ? StateOperatorProgress(
                rowsTotal: results.reduces.reduce(0) { $0 + $1.stateRowsTotal },
                rowsUpdated: results.reduces.reduce(0) { $0 + $1.stateRowsUpdated },
                rowsDroppedByWatermark: results.maps.reduce(0) { $0 + $1.lateRows },
                rowsRemoved: results.reduces.reduce(0) { $0 + $1.stateRowsEvicted },
                memoryBytes: results.reduces.reduce(0) { $0 + $1.stateMemoryBytes }, partitions: results.reduces.count)
            : nil
        let progress = ProgressRecord(
            jobId: jobId, batchId: entry.batchId, timestampMs: entry.plannedAtMs, numInputRows: input,
            inputRowsPerSecond: Self.rate(input, perMs: sinceLastTriggerMs),
            processedRowsPerSecond: Self.rate(input, perMs: durations.totalMs), durations: durations,
            eventTime: EventTimeProgress(
                minMs: results.maps.compactMap(\.minEventTimeMs).min(),
                maxMs: results.maps.compactMap(\.maxEventTimeMs).max(), watermarkMs: entry.watermarkMs),
            stateOperator: state,
            source: SourceProgress(topic: entry.topic, ranges: entry.ranges, latest: context.latest),
            sink: SinkProgress(description: environment.sink.description, rowsWritten: commit.outputRows),
            deadLetters: commit.deadLetters)
        board.committed(progress, nextWatermarkMs: commit.nextWatermarkMs)
        environment.counters?.record(progress)
    }

    /// Rows per second over `ms`; 0 when no time passed.
    static func rate(_ rows: Int64, perMs ms: Int64) -> Double {
        ms > 0 ? Double(rows) * 1000 / Double(ms) : 0
    }
}
