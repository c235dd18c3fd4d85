/// Where one task attempt's time went, for metrics and benchmarks (`ExecutorConfig.onTaskFinished`).
public struct TaskTimings: Sendable, Equatable {
    /// The attempt.
    public var attemptId: UInt64
    /// "map task 2 of batch 7 (job clicks, attempt 0)".
    public var label: String
    /// Source records read (map) or shuffle blocks merged (reduce).
    public var inputCount: Int
    /// Reading: the broker fetches (map) or the shuffle blocks and state (reduce).
    public var readNs: UInt64
    /// Decoding the records (map only).
    public var decodeNs: UInt64
    /// The plan's operators: `MapTask.run` or `ReduceTask.run`, plus storing the output.
    public var runNs: UInt64
    /// Whether the attempt succeeded.
    public var succeeded: Bool

    /// Timings of one attempt.
    public init(
        attemptId: UInt64, label: String, inputCount: Int, readNs: UInt64, decodeNs: UInt64, runNs: UInt64,
        succeeded: Bool
    ) {
        self.attemptId = attemptId
        self.label = label
        self.inputCount = inputCount
        self.readNs = readNs
        self.decodeNs = decodeNs
        self.runNs = runNs
        self.succeeded = succeeded
    }
}
