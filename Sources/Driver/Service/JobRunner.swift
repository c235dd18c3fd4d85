import Dispatch
import Foundation
import Query
import Synchronization
import Wire

/// The shell around one job's `JobInstance`: a thread of its own runs the loop, carrying out each
/// directive with blocking I/O (broker, checkpoint, sinks) and waiting for the cluster to run batches.
public final class JobRunner: Sendable {
    struct Control {
        var stopRequested = false
        var stopDelivered = false
        var shuttingDown = false
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The job's id.
    public let jobId: String
    /// The job's SQL.
    public let sql: String
    /// The compiled plan.
    public let plan: JobPlan
    let settings: JobSettings
    let environment: JobEnvironment
    let board: JobStatusBoard
    let control = Mutex(Control())
    let wake = DispatchSemaphore(value: 0)

    /// A runner for a compiled job; nothing runs until `start`.
    public init(
        jobId: String, sql: String, plan: JobPlan, createdAtMs: Int64, environment: JobEnvironment,
        pollIntervalMs: Int64 = 50
    ) {
        self.jobId = jobId
        self.sql = sql
        self.plan = plan
        self.settings = JobSettings(plan: plan, pollIntervalMs: pollIntervalMs)
        self.environment = environment
        self.board = JobStatusBoard(JobSnapshot(jobId: jobId, state: .running, createdAtMs: createdAtMs))
    }

    /// The job's status now.
    public var status: JobSnapshot { board.current }

    /// Starts the loop on its own thread.
    public func start() {
        let thread = Thread { [self] in
            runLoop()
            let waiters = control.withLock { control -> [CheckedContinuation<Void, Never>] in
                control.finished = true
                defer { control.waiters = [] }
                return control.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.name = "spate-job-\(jobId)"
        thread.start()
    }

    /// Stops the job after its current batch commits (at once if between batches). A batch still
    /// running after `graceMs` (no executors, say) is abandoned uncommitted instead; submitting
    /// the job again runs it again with the same offsets.
    public func requestStop(graceMs: Int = 30_000) {
        control.withLock { $0.stopRequested = true }
        board.update { if $0.state == .running { $0.state = .stopping } }
        wake.signal()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(graceMs)) { [self] in
            if !isFinished { environment.runner.cancel(jobId: jobId) }
        }
    }

    /// The driver is going away: the batch in flight is abandoned uncommitted and the job stays
    /// `running` in its checkpoint, so the next driver resumes it.
    public func shutdown() {
        control.withLock { $0.shuttingDown = true }
        environment.runner.cancel(jobId: jobId)
        wake.signal()
    }

    /// Whether the loop has ended.
    public var isFinished: Bool { control.withLock { $0.finished } }

    /// Returns once the loop has ended.
    public func finished() async {
        await withCheckedContinuation { continuation in
            let done = control.withLock { control -> Bool in
                if control.finished { return true }
                control.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    // MARK: the loop

    /// What one batch carried from planning to commit.
    struct BatchContext {
        var entry: OffsetEntry
        var latest: [Int32: Int64]?
        var latestOffsetMs: Int64 = 0
        var walCommitMs: Int64 = 0
        var planningMs: Int64 = 0
        var executionMs: Int64 = 0
        var results: BatchResults?
    }

    private func runLoop() {
        let recovered: RecoveredBatches
        do {
            recovered = try environment.checkpoint.recoverBatches()
        } catch {
            return finish(.fail("cannot resume from the checkpoint: \(error)"))
        }
        var instance = JobInstance(jobId: jobId, settings: settings, recovered: recovered)
        board.update { status in
            status.lastCommittedBatchId = instance.lastCommittedBatchId
            status.watermarkMs = instance.nextWatermarkMs
        }
        var directive = instance.start(nowMs: environment.wallClockMs())
        var fetched: (offsets: [Int32: Int64], ms: Int64)?
        var batch: BatchContext?
        var previousTriggerMs: Int64?
        while true {
            if let stop = deliverStop(&instance) { directive = stop }
            if control.withLock({ $0.shuttingDown }) { return }
            switch directive {
            case .fetchOffsets(let atMs):
                guard sleep(until: atMs) else { continue }
                let started = MonotonicClock.milliseconds()
                do {
                    let offsets = try environment.broker.partitionOffsets(topic: settings.topic)
                    fetched = (
                        Dictionary(uniqueKeysWithValues: offsets.map { ($0.partition, $0.latest) }),
                        Int64(MonotonicClock.milliseconds() - started)
                    )
                    directive = instance.offsetsFetched(offsets, nowMs: environment.wallClockMs())
                } catch {
                    environment.log("job \(jobId): cannot read offsets of '\(settings.topic)': \(error)")
                    directive = instance.offsetsUnavailable(nowMs: environment.wallClockMs())
                }
            case .runBatch(let entry, let writeOffsets):
                var context = BatchContext(entry: entry, latest: writeOffsets ? fetched?.offsets : nil)
                context.latestOffsetMs = writeOffsets ? fetched?.ms ?? 0 : 0
                guard let next = runBatch(&context, writeOffsets: writeOffsets, instance: &instance) else {
                    // Cancelled: by a stop whose grace ran out (the job stops), or by a shutdown.
                    let stopping = control.withLock { $0.stopRequested && !$0.shuttingDown }
                    return stopping ? finish(.stop) : ()
                }
                batch = context
                directive = next
            case .commit(let commit):
                guard var context = batch, let results = context.results else {
                    directive = instance.batchFailed("internal error: a commit without a batch")
                    continue
                }
                let started = MonotonicClock.milliseconds()
                switch commitBatch(context.entry, results, commit) {
                case .done: break
                case .abandoned: return
                case .failed(let reason):
                    directive = instance.batchFailed(reason)
                    continue
                }
                let commitMs = Int64(MonotonicClock.milliseconds() - started)
                if environment.crashBefore?(.progress, context.entry.batchId) == true { return }
                context.results = results
                recordProgress(context, commit, commitMs: commitMs, previousTriggerMs: previousTriggerMs)
                previousTriggerMs = context.entry.plannedAtMs
                batch = nil
                environment.runner.releaseShuffle(jobId: jobId, batchId: context.entry.batchId)
                directive = instance.committed(nowMs: environment.wallClockMs())
                cleanUpIfDue(context.entry.batchId)
            case .stop:
                return finish(.stop)
            case .fail(let reason):
                return finish(.fail(reason))
            }
        }
    }

    /// Hands a pending stop request to the instance once; returns `.stop` when it takes effect now.
    private func deliverStop(_ instance: inout JobInstance) -> JobDirective? {
        let deliver = control.withLock { control -> Bool in
            guard control.stopRequested, !control.stopDelivered else { return false }
            control.stopDelivered = true
            return true
        }
        return deliver ? instance.stop() : nil
    }

    /// Waits until `atMs` (wall clock); false when woken early by a stop or shutdown.
    private func sleep(until atMs: Int64) -> Bool {
        while true {
            let interrupted = control.withLock { $0.shuttingDown || ($0.stopRequested && !$0.stopDelivered) }
            if interrupted { return false }
            let remainingMs = atMs - environment.wallClockMs()
            if remainingMs <= 0 { return true }
            _ = wake.wait(timeout: .now() + .milliseconds(Int(min(remainingMs, 100))))
        }
    }

    /// The job's loop ended by itself: record why in the checkpoint and the status.
    private func finish(_ directive: JobDirective) {
        let state: JobState
        var failure: String?
        switch directive {
        case .fail(let reason):
            state = .failed
            failure = reason
            environment.log("job \(jobId) failed: \(reason)")
        default:
            state = .stopped
            environment.log("job \(jobId) stopped")
        }
        do {
            var meta = try environment.checkpoint.readMeta()
            meta.state = state
            meta.failure = failure
            try environment.checkpoint.writeMeta(meta)
        } catch {
            environment.log("job \(jobId): cannot record its state in the checkpoint: \(error)")
        }
        board.update { status in
            status.state = state == .failed ? .failed : .stopped
            status.failure = failure
            status.currentBatchId = nil
        }
    }
}
