/// Names one micro-batch of one job.
public struct BatchKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The job's id.
    public let job: String
    /// The batch number within the job, as in `offsets/N` and `commits/N`.
    public let batchId: Int64

    /// A batch key.
    public init(job: String, batchId: Int64) {
        self.job = job
        self.batchId = batchId
    }

    /// Orders by job, then batch number.
    public static func < (lhs: BatchKey, rhs: BatchKey) -> Bool {
        (lhs.job, lhs.batchId) < (rhs.job, rhs.batchId)
    }

    /// `job/batchId`, for logs.
    public var description: String { "\(job)/\(batchId)" }
}

/// Names one task: one partition of one stage of one batch. Each run of it is an attempt.
public struct TaskKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The batch the task belongs to.
    public let batch: BatchKey
    /// The stage's index in its `BatchSpec.stages`.
    public let stage: Int
    /// The partition within the stage, `0..<partitionCount`.
    public let partition: Int

    /// A task key.
    public init(batch: BatchKey, stage: Int, partition: Int) {
        self.batch = batch
        self.stage = stage
        self.partition = partition
    }

    /// The job's id.
    public var job: String { batch.job }
    /// The batch number.
    public var batchId: Int64 { batch.batchId }

    /// Orders by batch, stage, partition.
    public static func < (lhs: TaskKey, rhs: TaskKey) -> Bool {
        (lhs.batch, lhs.stage, lhs.partition) < (rhs.batch, rhs.stage, rhs.partition)
    }

    /// `job/batchId/stage/partition`, for logs.
    public var description: String { "\(batch)/\(stage)/\(partition)" }
}
