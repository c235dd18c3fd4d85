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
    /// The commit written while the next batch runs, for `fetchState` to wait on.
    let commitInFlight = Mutex<PendingCommit?>(nil)

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

    /// The loop's own variables.
    struct Loop {
        var instance: JobInstance
        /// The latest offsets of the last fetch, and how long it took.
        var fetched: (offsets: [Int32: Int64], ms: Int64)?
        /// The batch between planning and commit.
        var batch: BatchContext?
        var previousTriggerMs: Int64?
        /// The previous batch's commit, written while this one runs.
        var pending: PendingCommit?
        /// The next batch, recorded and submitted while this one reduces.
        var ahead: AheadBatch?
    }

    /// A batch planned, recorded and submitted while the one before it still runs.
    struct AheadBatch {
        var context: BatchContext
        let handle: BatchHandle
        /// When it was submitted (monotonic ms), for its execution time.
        let sinceMs: UInt64
    }

    /// What settling a pending commit found.
    enum Settled {
        /// No commit is pending any more: go on.
        case clear
        /// The loop must end without a decision (crash injected, driver stopping).
        case ended
        /// The commit failed: the job fails with this directive.
        case failed(JobDirective)
    }

    private func runLoop() {
        let recovered: RecoveredBatches
        do {
            recovered = try environment.checkpoint.recoverBatches()
        } catch {
            return finish(.fail("cannot resume from the checkpoint: \(error)"))
        }
        var loop = Loop(instance: JobInstance(jobId: jobId, settings: settings, recovered: recovered))
        // However the loop ends, a batch planned ahead must not run on: it is recorded, so a
        // restart runs it again.
        defer { if loop.ahead != nil { environment.runner.cancel(jobId: jobId) } }
        board.update { [instance = loop.instance] status in
            status.lastCommittedBatchId = instance.lastCommittedBatchId
            status.watermarkMs = instance.nextWatermarkMs
        }
        var directive = loop.instance.start(nowMs: environment.wallClockMs())
        while true {
            if let pending = loop.pending, pending.result != nil {
                switch settle(&loop) {
                case .clear: break
                case .ended: return
                case .failed(let failure): directive = failure
                }
            }
            if let stop = deliverStop(&loop.instance) { directive = stop }
            if control.withLock({ $0.shuttingDown }) {
                _ = settle(&loop)
                return
            }
            let next: JobDirective?
            switch directive {
            case .fetchOffsets(let atMs):
                next = sleep(until: atMs, pending: loop.pending) ? fetchOffsets(&loop) : directive
            case .runBatch(let entry, let writeOffsets):
                next = startBatch(entry, writeOffsets: writeOffsets, &loop)
            case .commit(let commit):
                next = commitAndRecord(commit, &loop)
            case .stop, .fail:
                return end(directive, &loop)
            }
            guard let next else {
                _ = settle(&loop)
                return
            }
            directive = next
        }
    }

    /// Ends the loop with `directive` (stop or fail) once the pending commit is settled: a commit
    /// that failed fails the job instead, one abandoned leaves the checkpoint as it is.
    private func end(_ directive: JobDirective, _ loop: inout Loop) {
        switch settle(&loop) {
        case .clear: finish(directive)
        case .ended: return
        case .failed(let failure): finish(failure)
        }
    }

    /// Waits for the pending commit, if any, and says how it ended.
    func settle(_ loop: inout Loop) -> Settled {
        guard let pending = loop.pending else { return .clear }
        let result = pending.wait()
        loop.pending = nil
        commitInFlight.withLock { if $0 === pending { $0 = nil } }
        switch result {
        case .done: return .clear
        case .abandoned: return .ended
        case .failed(let reason): return .failed(loop.instance.batchFailed(reason))
        }
    }

    /// Asks the broker for the source's offsets and hands them to the instance.
    private func fetchOffsets(_ loop: inout Loop) -> JobDirective {
        let started = MonotonicClock.milliseconds()
        do {
            let offsets = try environment.broker.partitionOffsets(topic: settings.topic)
            let latest = Dictionary(uniqueKeysWithValues: offsets.map { ($0.partition, $0.latest) })
            loop.fetched = (latest, Int64(MonotonicClock.milliseconds() - started))
            return loop.instance.offsetsFetched(offsets, nowMs: environment.wallClockMs())
        } catch {
            environment.log("job \(jobId): cannot read offsets of '\(settings.topic)': \(error)")
            return loop.instance.offsetsUnavailable(nowMs: environment.wallClockMs())
        }
    }

    /// Runs a planned (or replayed) batch; nil ends the loop.
    private func startBatch(_ entry: OffsetEntry, writeOffsets: Bool, _ loop: inout Loop) -> JobDirective? {
        var context = BatchContext(entry: entry, latest: writeOffsets ? loop.fetched?.offsets : nil)
        context.latestOffsetMs = writeOffsets ? loop.fetched?.ms ?? 0 : 0
        guard let next = runBatch(&context, writeOffsets: writeOffsets, loop: &loop) else {
            // Cancelled: by a stop whose grace ran out (the job stops), or by a shutdown.
            let stopping = control.withLock { $0.stopRequested && !$0.shuttingDown }
            if stopping { end(.stop, &loop) }
            return nil
        }
        loop.batch = context
        return next
    }

    /// Over a backlog, starts the batch's commit on a thread of its own and lets the instance plan
    /// the next batch meanwhile, as the commit's fsyncs and acknowledgements would otherwise leave
    /// every slot idle. Order still holds: the previous commit is settled first, the next batch's outputs
    /// wait for this one, and its reduce tasks can only restore this batch's state from memory or,
    /// through `fetchState`, once it is durable. nil ends the loop.
    private func commitAndRecord(_ commit: CommitEntry, _ loop: inout Loop) -> JobDirective? {
        switch settle(&loop) {
        case .clear: break
        case .ended: return nil
        case .failed(let failure): return failure
        }
        guard let context = loop.batch, context.results != nil else {
            return loop.instance.batchFailed("internal error: a commit without a batch")
        }
        let pending = PendingCommit(batchId: context.entry.batchId)
        let previousTriggerMs = loop.previousTriggerMs
        loop.pending = pending
        loop.previousTriggerMs = context.entry.plannedAtMs
        loop.batch = nil
        commitInFlight.withLock { $0 = pending }
        guard overlapsNextBatch(context) else {
            // Caught up: the next batch would be small and its commit would contend with this
            // one's fsyncs, which lengthens every batch (measured: paced p50 7 → 13 ms). Commit first.
            pending.finish(runCommit(context, commit, previousTriggerMs: previousTriggerMs))
            switch settle(&loop) {
            case .clear: return loop.instance.committed(nowMs: environment.wallClockMs())
            case .ended: return nil
            case .failed(let failure): return failure
            }
        }
        let thread = Thread { [self] in
            pending.finish(runCommit(context, commit, previousTriggerMs: previousTriggerMs))
            wake.signal()
        }
        thread.name = "spate-commit-\(jobId)"
        thread.start()
        return loop.instance.committed(nowMs: environment.wallClockMs())
    }

    /// Whether the batch's commit should overlap the next batch: it left a backlog, or it reran
    /// a recorded batch after a restart (a restart has a backlog to catch up on).
    func overlapsNextBatch(_ context: BatchContext) -> Bool {
        guard let latest = context.latest else { return true }
        let ends = context.entry.ends
        let backlog = latest.reduce(Int64(0)) { sum, partition in
            sum + max(0, partition.value - (ends[partition.key] ?? partition.value))
        }
        return backlog >= environment.overlapBacklogMin
    }

    /// Commits the batch, records its progress and lets its shuffle output go.
    private func runCommit(_ context: BatchContext, _ commit: CommitEntry, previousTriggerMs: Int64?)
        -> CommitResult
    {
        guard let results = context.results else { return .failed("internal error: a commit without results") }
        let started = MonotonicClock.milliseconds()
        let result = commitBatch(context.entry, results, commit)
        guard case .done = result else { return result }
        let commitMs = Int64(MonotonicClock.milliseconds() - started)
        if environment.crashBefore?(.progress, context.entry.batchId) == true { return .abandoned }
        recordProgress(context, commit, commitMs: commitMs, previousTriggerMs: previousTriggerMs)
        environment.runner.releaseShuffle(jobId: jobId, batchId: context.entry.batchId)
        cleanUpIfDue(context.entry.batchId)
        return .done
    }

    /// Blocks until the commit of `batchId` (if it is the one being written) is durable, at most
    /// `timeoutMs`: a reduce task restoring that state version elsewhere must find it on disk.
    public func waitForCommit(of batchId: Int64, timeoutMs: Int) {
        guard let pending = commitInFlight.withLock({ $0 }), pending.batchId == batchId else { return }
        _ = pending.wait(timeoutMs: timeoutMs)
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

    /// Waits until `atMs` (wall clock); false when woken early by a stop, a shutdown or the end of
    /// the pending commit.
    private func sleep(until atMs: Int64, pending: PendingCommit?) -> Bool {
        while true {
            let interrupted = control.withLock { $0.shuttingDown || ($0.stopRequested && !$0.stopDelivered) }
            if interrupted || pending?.result != nil { return false }
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
