/// One stage of a batch as the planner hands it over.
public struct StageSpec: Equatable, Sendable {
    /// Tasks in the stage, one per partition; at least 1.
    public var partitionCount: Int
    /// Indices of the stages whose shuffle output this stage reads; each lower than this stage's
    /// own index, no repeats. Empty: the stage reads the source.
    public var parents: [Int]
    /// Partition -> executor it should preferably run on (e.g. where its state lived last batch).
    /// Partitions missing here fall back to where the same job/stage/partition last succeeded.
    public var preferredExecutors: [Int: String]

    /// A stage spec.
    public init(partitionCount: Int, parents: [Int] = [], preferredExecutors: [Int: String] = [:]) {
        self.partitionCount = partitionCount
        self.parents = parents
        self.preferredExecutors = preferredExecutors
    }
}

/// A batch to run: a DAG of stages listed in topological order (parents before children).
public struct BatchSpec: Equatable, Sendable {
    /// Which batch this is.
    public var batch: BatchKey
    /// The stages; a stage's id is its index here.
    public var stages: [StageSpec]

    /// A batch spec.
    public init(job: String, batchId: Int64, stages: [StageSpec]) {
        self.batch = BatchKey(job: job, batchId: batchId)
        self.stages = stages
    }

    /// The usual stateful shape: a map stage over the source, then a reduce stage reading all of it.
    public static func mapReduce(
        job: String, batchId: Int64, mapPartitions: Int, reducePartitions: Int,
        preferredReduceExecutors: [Int: String] = [:]
    ) -> BatchSpec {
        BatchSpec(
            job: job, batchId: batchId,
            stages: [
                StageSpec(partitionCount: mapPartitions),
                StageSpec(
                    partitionCount: reducePartitions, parents: [0], preferredExecutors: preferredReduceExecutors),
            ])
    }
}
