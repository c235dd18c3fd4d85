import Foundation
import Query
import Scheduler
import Synchronization
import Wire

/// Settings of the cluster shell.
public struct ClusterConfig: Sendable {
    /// The broker executors read sources from, "host:port", told to each at registration.
    public var brokerAddress: String
    /// How often executors heartbeat.
    public var heartbeatIntervalMs: Int32
    /// An executor silent this long is lost (a dropped connection is noticed at once).
    public var executorTimeoutMs: Int64
    /// How long one task attempt may run before it counts as failed.
    public var taskTimeoutMs: Int
    /// How often the scheduler's clock ticks.
    public var tickIntervalMs: Int
    /// How long a task whose preferred executor is busy waits for it (`spark.locality.wait`).
    public var localityWaitMs: Int64

    /// Settings with defaults: 1 s heartbeats, lost after 5 s, 10 minutes per attempt, 10 ms ticks,
    /// a 50 ms locality wait.
    public init(
        brokerAddress: String, heartbeatIntervalMs: Int32 = 1000, executorTimeoutMs: Int64 = 5000,
        taskTimeoutMs: Int = 600_000, tickIntervalMs: Int = 10, localityWaitMs: Int64 = 50
    ) {
        precondition(heartbeatIntervalMs > 0 && executorTimeoutMs > 0 && taskTimeoutMs > 0 && tickIntervalMs > 0)
        self.brokerAddress = brokerAddress
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.executorTimeoutMs = executorTimeoutMs
        self.taskTimeoutMs = taskTimeoutMs
        self.tickIntervalMs = tickIntervalMs
        self.localityWaitMs = localityWaitMs
    }
}

/// The driver's side of the cluster: executors register over RPC, the pure `TaskScheduler` (in a
/// Mutex) decides, and the shell carries out its directives: task launches are RPC calls on the
/// executor's own connection whose responses are the task results; a connection that closes is
/// reported as a lost executor at once. Job threads submit batches and wait on their handles,
/// which hear when a batch's map stage is done and when the scheduler says it succeeded or failed.
public final class ClusterShell: BatchRunner, Sendable {
    struct State {
        var scheduler: TaskScheduler
        var executors: [String: ExecutorRecord] = [:]
        var executorByConnection: [ObjectIdentifier: String] = [:]
        var runs: [BatchKey: BatchRun] = [:]
        /// Results that arrived and wait for the scheduler's verdict within the same event.
        var arrived: [UInt64: TaskOutcome] = [:]
        var executorsRegistered = 0
        /// Successful attempts per registered executor, for status pages.
        var completedTasks: [String: Int] = [:]
        var stopped = false
    }

    /// A batch in flight: what it runs, the accepted results so far, and who waits for it.
    struct BatchRun {
        let request: BatchRequest
        let handle: BatchHandle
        var maps: [Int: MapTaskReport] = [:]
        /// Where each map task's accepted result came from (that executor holds its read-ahead).
        var mapExecutors: [Int: String] = [:]
        /// Whether the handle was told the map stage is done.
        var mapsAnnounced = false
        var reduces: [Int: ReduceTaskReport] = [:]

        /// Every map task's report in partition order, nil while one is missing.
        var mapReports: [MapTaskReport]? {
            let reports = (0..<request.offsets.ranges.count).compactMap { maps[$0] }
            return reports.count == request.offsets.ranges.count ? reports : nil
        }
    }

    /// The shell's settings.
    public let config: ClusterConfig
    let state: Mutex<State>
    let tickerStopped = Atomic<Bool>(false)
    /// Called with one line for each notable cluster event (executor joined, lost, batch failed).
    let log: @Sendable (String) -> Void

    /// A shell with no executors; `firstAttemptId` must exceed every attempt id a previous driver
    /// issued (the default, wall-clock microseconds, does).
    public init(
        config: ClusterConfig, firstAttemptId: UInt64 = ClusterShell.wallClockMicros(),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.config = config
        self.log = log
        let scheduler = TaskScheduler(
            config: SchedulerConfig(executorTimeoutMs: config.executorTimeoutMs, localityWaitMs: config.localityWaitMs),
            firstAttemptId: firstAttemptId)
        state = Mutex(State(scheduler: scheduler))
    }

    /// Microseconds since the epoch: a restarted driver's attempt ids are above its predecessor's.
    public static func wallClockMicros() -> UInt64 {
        UInt64(max(1, Date().timeIntervalSince1970 * 1_000_000))
    }

    /// Monotonic milliseconds, the scheduler's clock.
    static func nowMs() -> Int64 { Int64(MonotonicClock.milliseconds()) }

    /// Starts the tick thread: silent executors expire, locality waits end.
    public func start() {
        let thread = Thread { [self] in
            while !tickerStopped.load(ordering: .acquiring) {
                usleep(useconds_t(config.tickIntervalMs * 1000))
                schedulerEvent(origin: nil) { scheduler, now in scheduler.tick(nowMs: now) }
            }
        }
        thread.name = "spate-driver-tick"
        thread.start()
    }

    /// Stops ticking, cancels every batch in flight and cuts every executor connection (executors
    /// reconnect to the next driver; a clean close would wait for their running tasks).
    public func stop() {
        tickerStopped.store(true, ordering: .releasing)
        let (jobs, connections) = state.withLock { state -> ([String], [RPCConnection]) in
            state.stopped = true
            return (Set(state.runs.keys.map(\.job)).sorted(), state.executors.values.map(\.connection))
        }
        for job in jobs { cancel(jobId: job) }
        for connection in connections { connection.abort(.connectionClosed("the driver is stopping")) }
    }

    // MARK: BatchRunner

    public func submit(_ request: BatchRequest) -> BatchHandle {
        let handle = BatchHandle()
        var spec = Self.spec(for: request)
        let (refusal, actions) = state.withLock { state -> (String?, [ShellAction]) in
            if state.stopped { return ("the driver is stopping", []) }
            Self.preferReadAheads(&spec, request, state)
            state.runs[spec.batch] = BatchRun(request: request, handle: handle)
            do throws(SchedulerError) {
                let directives = try state.scheduler.submitBatch(spec, nowMs: Self.nowMs())
                return (nil, process(directives, &state, origin: nil))
            } catch {
                state.runs[spec.batch] = nil
                return ("the scheduler refused batch \(spec.batch): \(error)", [])
            }
        }
        if let refusal {
            handle.finish(.failed(refusal))
            return handle
        }
        perform(actions)
        return handle
    }

    public func cancel(jobId: String) {
        schedulerEvent(origin: nil) { scheduler, now in scheduler.cancelJob(jobId, nowMs: now) }
        let handles = state.withLock { state -> [BatchHandle] in
            let keys = state.runs.keys.filter { $0.job == jobId }
            return keys.compactMap { state.runs.removeValue(forKey: $0)?.handle }
        }
        for handle in handles { handle.finish(.cancelled) }
    }

    public func releaseShuffle(jobId: String, batchId: Int64) {
        let connections = state.withLock { $0.executors.values.map(\.connection) }
        let body = ReleaseShuffle(jobId: jobId, batchId: batchId).encoded()
        for connection in connections { try? connection.send(ClusterMessageKind.releaseShuffle.rawValue, body) }
    }

    /// The stages of a batch: a map stage over the ranges, then (aggregations) a reduce stage.
    static func spec(for request: BatchRequest) -> BatchSpec {
        let maps = request.offsets.ranges.count
        let batchId = request.offsets.batchId
        guard let reduces = request.reducePartitions else {
            return BatchSpec(job: request.jobId, batchId: batchId, stages: [StageSpec(partitionCount: maps)])
        }
        // Reduce tasks prefer the executor that ran their state partition last batch: the
        // scheduler remembers where each (stage, partition) of a job last succeeded.
        return BatchSpec.mapReduce(
            job: request.jobId, batchId: batchId, mapPartitions: maps, reducePartitions: reduces, after: request.after)
    }

    /// A batch planned ahead sends each map task to the executor that mapped the same source
    /// partition in the batch before: an executor that reads ahead already holds the range there
    /// (a map task elsewhere would read it cold and the read-ahead would go to waste). The driver
    /// does not know which executors read ahead, so it prefers them all. Batches submitted after
    /// their predecessor ended place maps on any free executor, as before.
    static func preferReadAheads(_ spec: inout BatchSpec, _ request: BatchRequest, _ state: State) {
        guard let after = request.after, let previous = state.runs[BatchKey(job: request.jobId, batchId: after)] else {
            return
        }
        let before = previous.request.offsets.ranges
        for (index, range) in request.offsets.ranges.enumerated() {
            guard let earlier = before.firstIndex(where: { $0.partition == range.partition }),
                let executorId = previous.mapExecutors[earlier]
            else { continue }
            spec.stages[0].preferredExecutors[index] = executorId
        }
    }

    // MARK: status

    /// Registered executors, in registration order.
    public var executors: [ExecutorSummary] {
        state.withLock { state in
            let now = Self.nowMs()
            return state.scheduler.executorStatuses.compactMap { status in
                guard let record = state.executors[status.executorId] else { return nil }
                return ExecutorSummary(
                    executorId: status.executorId, name: record.name, slots: status.slots,
                    runningTasks: status.runningAttempts, draining: status.draining,
                    heartbeatAgeMs: max(0, now - status.lastHeartbeatMs),
                    shuffleAddress: "\(record.shuffleHost):\(record.shufflePort)", pid: record.pid,
                    completedTasks: state.completedTasks[status.executorId] ?? 0)
            }
        }
    }

    /// The scheduler's counters (attempts, failures, losses) for metrics.
    public var schedulerStats: SchedulerStats { state.withLock { $0.scheduler.stats } }

    /// Executors registered since start.
    public var executorsRegisteredTotal: Int { state.withLock { $0.executorsRegistered } }
}
