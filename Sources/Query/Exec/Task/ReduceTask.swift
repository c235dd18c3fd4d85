import Wire

/// The reduce stage of a micro-batch for one state partition: shuffle blocks in, merged into the
/// partition's state, sink rows and a state delta out. Pure computation.
public enum ReduceTask {
    /// Merges `blocks` (every map task's block for `partition`, in map-task order) into `state`,
    /// emits rows per `plan.outputMode` and evicts windows the watermark has passed.
    ///
    /// `batchId` must be after `state.version`. Blocks are all checked before the state changes,
    /// so a hostile block leaves `state` as it was; after any other error (the memory limit),
    /// `state` must be discarded and restored from its last version, as after any failed task.
    public static func run(
        plan: JobPlan, partition: Int, blocks: [[UInt8]], state: inout AggregationState, batchId: Int64,
        watermarkMs: Int64?
    ) throws -> ReduceTaskOutput {
        let aggregation = try plan.aggregation()
        try PlanCheck.aggregationShape(aggregation, plan: plan)
        let layout = try GroupLayout(aggregation)
        guard layout == state.store.layout else { throw StateError.layoutMismatch }
        guard state.partition == partition else {
            throw StateError.wrongPartition(expected: partition, found: state.partition)
        }
        guard batchId > state.version else { throw StateError.staleBatch(batchId: batchId, version: state.version) }
        let checked = try blocks.map {
            try ShuffleBlock.check($0, layout: layout, partition: partition, partitions: plan.shufflePartitions)
        }
        for block in checked {
            do throws(DecodeError) {
                try state.store.merge(block)
            } catch {
                throw ShuffleBlockError.malformed(error)
            }
        }
        let memoryBytes = state.store.memoryBytes
        guard memoryBytes <= state.stateBytesMax else {
            throw StateError.memoryLimitExceeded(
                partition: partition, bytes: memoryBytes, limitBytes: state.stateBytesMax)
        }
        let updated = state.store.changedSlots.count
        let (emitted, evicted) = emission(state.store, mode: plan.outputMode, watermarkMs: watermarkMs)
        let groupRows = state.store.groupRows(state.store.ordered(emitted), schema: aggregation.groupSchema)
        for slot in evicted { state.store.kill(slot) }
        let rows = try output(groupRows, aggregation, schema: plan.outputSchema)
        let delta = state.encodeDelta(version: batchId, previous: state.version)
        state.store.finishBatch()
        state.version = batchId
        let metrics = StateMetrics(
            rowsTotal: state.store.liveCount, rowsUpdated: updated, rowsEvicted: evicted.count,
            memoryBytes: state.store.memoryBytes)
        return ReduceTaskOutput(rows: rows, stateDelta: delta, metrics: metrics)
    }

    /// The groups to emit and the groups to evict this batch. Append: windows the watermark has
    /// passed, emitted once and evicted. Update: groups changed this batch; passed windows are
    /// evicted silently (their rows went out when they changed). Complete: every group, no eviction.
    static func emission(_ store: GroupStore, mode: OutputMode, watermarkMs: Int64?) -> (emit: [Int32], evict: [Int32])
    {
        let closed = watermarkMs.map { store.closed(by: $0) } ?? []
        switch mode {
        case .append: return (closed, closed)
        case .update: return (store.changedSlots, closed)
        case .complete: return (store.liveSlots, [])
        }
    }

    /// HAVING, then the SELECT list, over group rows.
    static func output(_ groupRows: RecordBatch, _ aggregation: AggregationPlan, schema: Schema) throws -> RecordBatch {
        let kept = try aggregation.having.map { try Selection.filter(groupRows, where: $0) } ?? groupRows
        return try MapTask.project(kept, aggregation.output, schema: schema)
    }
}
