/// One stage of a batch as the planner hands it over.
public struct StageSpec: Equatable, Sendable {
    /// Tasks in the stage, one per partition; at least 1.
    public var partitionCount: Int
    /// Indices of the stages whose shuffle output this stage reads; each lower than this stage's
    /// own index, no repeats. Empty: the stage reads the source.
    public var parents: [Int]
    /// Partition -> executor it should preferably run on (e.g. where its state lived last batch).
    /// Partitions missing here fall back to where the same job/stage/partition last succeeded,
    /// when the stage `remembersPlacement`.
    public var preferredExecutors: [Int: String]
    /// Whether a task goes back to where its partition last succeeded. Worth it where tasks keep
    /// state on the executor; a stage that reads the source gains nothing, and remembering would
    /// leave executors that join later idle.
    public var remembersPlacement: Bool

    /// A stage spec.
    public init(
        partitionCount: Int, parents: [Int] = [], preferredExecutors: [Int: String] = [:],
        remembersPlacement: Bool = true
    ) {
        self.partitionCount = partitionCount
        self.parents = parents
        self.preferredExecutors = preferredExecutors
        self.remembersPlacement = remembersPlacement
    }
}

/// A batch to run: a DAG of stages listed in topological order (parents before children).
public struct BatchSpec: Equatable, Sendable {
    /// Which batch this is.
    public var batch: BatchKey
    /// The stages; a stage's id is its index here.
    public var stages: [StageSpec]
    /// An earlier batch of the same job whose end this one's shuffle-reading stages wait for (they
    /// restore the state it leaves); nil when the previous batch has already ended. Its map stage
    /// may run meanwhile. When that batch fails, this one fails too. Must be below `batch.batchId`;
    /// a batch not in flight at submission gates nothing.
    public var after: Int64?

    /// A batch spec.
    public init(job: String, batchId: Int64, stages: [StageSpec], after: Int64? = nil) {
        self.batch = BatchKey(job: job, batchId: batchId)
        self.stages = stages
        self.after = after
    }

    /// The usual stateful shape: a map stage over the source, placed wherever slots are free, then a
    /// reduce stage reading all of it, whose tasks return to the executors holding their state.
    public static func mapReduce(
        job: String, batchId: Int64, mapPartitions: Int, reducePartitions: Int,
        preferredReduceExecutors: [Int: String] = [:], after: Int64? = nil
    ) -> BatchSpec {
        BatchSpec(
            job: job, batchId: batchId,
            stages: [
                StageSpec(partitionCount: mapPartitions, remembersPlacement: false),
                StageSpec(
                    partitionCount: reducePartitions, parents: [0], preferredExecutors: preferredReduceExecutors),
            ], after: after)
    }
}
