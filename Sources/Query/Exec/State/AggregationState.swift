/// The state of one streaming aggregation for one reduce partition, versioned by batch id:
/// every group with its partial aggregates. `ReduceTask.run` applies a batch to it and returns
/// the batch's delta; `snapshot()` and `init(plan:partition:snapshot:deltas:)` move it between
/// processes. Version -1 is the empty state before the first batch.
public struct AggregationState: Sendable {
    /// The default memory limit per state partition.
    public static let defaultStateBytesMax = 1 << 30

    /// The reduce partition this state belongs to.
    public let partition: Int
    /// The id of the last batch applied; -1 before any.
    public internal(set) var version: Int64 = -1
    /// The memory this state may hold before `ReduceTask.run` fails with `memoryLimitExceeded`.
    public let stateBytesMax: Int
    /// The groups.
    var store: GroupStore

    /// The empty state of `plan`'s aggregation for `partition`.
    public init(plan: JobPlan, partition: Int, stateBytesMax: Int = defaultStateBytesMax) throws {
        let aggregation = try plan.aggregation()
        guard partition >= 0, partition < plan.shufflePartitions else {
            throw PlanShapeError.invalid("partition \(partition) is outside 0..<\(plan.shufflePartitions)")
        }
        self.partition = partition
        self.stateBytesMax = stateBytesMax
        store = GroupStore(layout: try GroupLayout(aggregation), mode: .state)
    }

    /// Groups in the state.
    public var groupCount: Int { store.liveCount }

    /// Bytes the state holds (an estimate from its buffers' capacities).
    public var memoryBytes: Int { store.memoryBytes }

    /// The group rows of every group, in emit order (for tests and inspection).
    public func groupRows(plan: JobPlan) throws -> RecordBatch {
        let aggregation = try plan.aggregation()
        return store.groupRows(store.ordered(store.liveSlots), schema: aggregation.groupSchema)
    }
}

/// What a state reports after a batch, for progress records.
public struct StateMetrics: Sendable, Equatable {
    /// Groups held after the batch.
    public var rowsTotal: Int
    /// Groups created or changed by the batch.
    public var rowsUpdated: Int
    /// Groups removed because the watermark passed their window's end (late input rows are
    /// dropped on the map side and counted in `MapTaskMetrics.lateRowsDropped`).
    public var rowsEvicted: Int
    /// Bytes the state holds.
    public var memoryBytes: Int

    /// Metrics.
    public init(rowsTotal: Int, rowsUpdated: Int, rowsEvicted: Int, memoryBytes: Int) {
        self.rowsTotal = rowsTotal
        self.rowsUpdated = rowsUpdated
        self.rowsEvicted = rowsEvicted
        self.memoryBytes = memoryBytes
    }
}

extension JobPlan {
    /// The aggregation, or a typed error for a stateless plan.
    func aggregation() throws(PlanShapeError) -> AggregationPlan {
        guard case .aggregate(let aggregation) = body else { throw .invalid("the job has no aggregation") }
        return aggregation
    }
}
