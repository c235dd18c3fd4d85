import Query

/// Runs task attempts on a slot thread: every outcome, errors included, becomes a `TaskOutcome`.
/// Holds what tasks share: compiled plans, broker clients, the shuffle store, cached state and
/// connections to peers.
final class TaskRunner: Sendable {
    let settings: TaskSettings
    let plans: PlanCache
    let brokers: BrokerClients
    let shuffle: ShuffleStore
    let states: StateCache
    let peers: PeerConnections
    let fetchSizing: FetchSizing
    let prefetch: SourcePrefetch

    init(
        settings: TaskSettings, plans: PlanCache, brokers: BrokerClients, shuffle: ShuffleStore, states: StateCache,
        peers: PeerConnections
    ) {
        self.settings = settings
        self.plans = plans
        self.brokers = brokers
        self.shuffle = shuffle
        self.states = states
        self.peers = peers
        fetchSizing = FetchSizing(fetchBytesMax: settings.fetchBytesMax)
        // Two partitions' worth of the largest fetch: enough to keep two slots' next inputs coming.
        prefetch = SourcePrefetch(heldBytesMax: 2 * Int(settings.fetchBytesMax))
    }

    /// Runs `context`'s task to its end; never throws and never traps on bad input.
    func run(_ context: TaskContext) -> TaskOutcome {
        let outcome = outcome(context)
        if let observer = settings.onTaskFinished {
            let succeeded = if case .failed = outcome { false } else { true }
            observer(
                context.clock.timings(attemptId: context.task.attemptId, label: context.label, succeeded: succeeded))
        }
        return outcome
    }

    private func outcome(_ context: TaskContext) -> TaskOutcome {
        do {
            try context.cancel.check(before: "starting")
            let job = try plans.job(context.task.jobId, sql: context.task.jobSQL)
            switch context.task.work {
            case .map(let topic, let sourcePartition, let start, let end):
                let range = SourceRange(topic: topic, partition: sourcePartition, startOffset: start, endOffset: end)
                return .map(try runMap(context, job, range))
            case .reduce(let outputs, let stateVersion, let snapshotWanted):
                return .reduce(
                    try runReduce(
                        context, job, outputs: outputs, stateVersion: stateVersion, snapshotWanted: snapshotWanted))
            }
        } catch let failure as TaskFailure {
            return .failed("\(context.label): \(failure.message)", fetchFailure: failure.fetchFailure)
        } catch {
            return .failed("\(context.label): \(error)", fetchFailure: nil)
        }
    }
}

/// The limits and timings tasks run with, taken from `ExecutorConfig`.
struct TaskSettings: Sendable {
    let fetchBytesMax: Int32
    let taskInputBytesMax: Int
    /// Whether map tasks start a read-ahead of their partition's next range.
    let readsAhead: Bool
    let sourceWaitMs: Int
    let fetchTimeoutMs: Int
    let stateBytesMax: Int
    /// The largest shuffle block or result that fits in one RPC frame.
    let messageBytesMax: Int
    /// Told each attempt's timings.
    let onTaskFinished: (@Sendable (TaskTimings) -> Void)?
}
