import Query

/// One job's micro-batch loop as pure logic (Instance/Shell/Directive): it does no I/O and reads no
/// clock. The shell feeds it events with the wall-clock time and carries out the one directive each
/// returns. It decides which offsets the next batch reads, which watermark it runs with, when the
/// trigger fires, when a batch without new data is due, and what a restart must run again.
public struct JobInstance: Sendable {
    /// Where the loop is.
    public enum Phase: Sendable, Equatable {
        /// Between batches: waiting for the trigger or for offsets.
        case idle
        /// Batch N's offsets are chosen; its tasks run.
        case running(OffsetEntry)
        /// Batch N's tasks succeeded; its outputs and commit are being written.
        case committing(OffsetEntry, CommitEntry)
        /// Stopped as asked.
        case stopped
        /// Failed for good.
        case failed(String)
    }

    /// The job's id.
    public let jobId: String
    /// The job's loop settings.
    public let settings: JobSettings
    /// Where the loop is.
    public private(set) var phase: Phase = .idle
    /// The last committed batch, nil before the first commit.
    public private(set) var lastCommittedBatchId: Int64?
    /// Where each partition's next batch starts (the last committed batch's ends).
    public private(set) var committedEnds: [Int32: Int64] = [:]
    /// The watermark the next batch runs with.
    public private(set) var nextWatermarkMs: Int64?
    /// The watermark the last committed batch ran with.
    public private(set) var lastBatchWatermarkMs: Int64?
    /// Batches that were planned and not committed before a restart, to run again first, in order.
    private var replays: [OffsetEntry]
    /// The next batch, planned while the running one reduces (`planAhead`); it runs next.
    public private(set) var ahead: OffsetEntry?
    /// When the last trigger fired, for interval triggers.
    private var lastTriggerMs: Int64?
    private var stopRequested = false

    /// A job resuming from `recovered` (empty logs for a new job).
    public init(jobId: String, settings: JobSettings, recovered: RecoveredBatches) {
        self.jobId = jobId
        self.settings = settings
        if let commit = recovered.lastCommit {
            lastCommittedBatchId = commit.batchId
            nextWatermarkMs = commit.nextWatermarkMs
        }
        replays = recovered.replays
        if let replay = replays.first {
            committedEnds = Dictionary(uniqueKeysWithValues: replay.ranges.map { ($0.partition, $0.start) })
            nextWatermarkMs = replay.watermarkMs
        } else if let offsets = recovered.lastOffsets {
            committedEnds = offsets.ends
            lastBatchWatermarkMs = offsets.watermarkMs
        }
    }

    /// The id the next planned batch gets.
    public var nextBatchId: Int64 { (lastCommittedBatchId ?? -1) + 1 }

    /// The loop starts: a recorded uncommitted batch runs again first, exactly as recorded.
    public mutating func start(nowMs: Int64) -> JobDirective {
        precondition(phase == .idle, "a job starts once")
        if let replay = nextReplay(nowMs: nowMs) { return replay }
        return .fetchOffsets(atMs: nowMs)
    }

    /// The broker answered: plan the next batch if there is new data (or a no-data batch is due),
    /// else wait for the next poll or trigger.
    public mutating func offsetsFetched(_ offsets: [PartitionOffsets], nowMs: Int64) -> JobDirective {
        precondition(phase == .idle, "offsets arrive only between batches")
        if stopRequested { return finishStop() }
        let ranges = RangePlanner.ranges(
            offsets: offsets, committedEnds: committedEnds, isNewJob: lastCommittedBatchId == nil,
            starting: settings.startingOffsets, recordsMax: settings.recordsPerBatchMax)
        let hasData = ranges.contains { $0.count > 0 }
        // The first batch runs even when empty, so the positions a new job starts from are durable.
        let firstBatch = lastCommittedBatchId == nil && !ranges.isEmpty
        guard !ranges.isEmpty, hasData || firstBatch || noDataBatchDue else {
            return .fetchOffsets(atMs: nextPollMs(nowMs))
        }
        let entry = OffsetEntry(
            batchId: nextBatchId, topic: settings.topic, ranges: ranges, watermarkMs: nextWatermarkMs,
            plannedAtMs: nowMs)
        lastTriggerMs = nowMs
        phase = .running(entry)
        return .runBatch(entry, writeOffsets: true)
    }

    /// The running batch's map stage is done, so its event times and the next watermark are known:
    /// plan the next batch now, from the broker's `offsets`, so its map stage can use the slots the
    /// reduce stage leaves free. nil (nothing planned) unless the job runs as fast as possible, has
    /// new data, nothing to replay and no stop pending. The entry must be made durable before it runs.
    public mutating func planAhead(_ offsets: [PartitionOffsets], maxEventTimeMs: Int64?, nowMs: Int64)
        -> OffsetEntry?
    {
        guard case .running(let entry) = phase, ahead == nil, replays.isEmpty, !stopRequested else { return nil }
        guard case .asFastAsPossible = settings.trigger else { return nil }
        let ends = committedEnds.merging(entry.ends) { _, new in new }
        let ranges = RangePlanner.ranges(
            offsets: offsets, committedEnds: ends, isNewJob: false, starting: settings.startingOffsets,
            recordsMax: settings.recordsPerBatchMax)
        guard ranges.contains(where: { $0.count > 0 }) else { return nil }
        let next = OffsetEntry(
            batchId: entry.batchId + 1, topic: settings.topic, ranges: ranges,
            watermarkMs: Self.watermark(
                after: entry.watermarkMs, maxEventTimeMs: maxEventTimeMs, delayMs: settings.watermarkDelayMs),
            plannedAtMs: nowMs)
        ahead = next
        return next
    }

    /// The batch planned ahead could not be made durable: forget it; it is planned again as usual.
    public mutating func dropAhead() {
        ahead = nil
    }

    /// The broker could not be asked; try again after the retry interval.
    public mutating func offsetsUnavailable(nowMs: Int64) -> JobDirective {
        precondition(phase == .idle, "offsets are fetched only between batches")
        if stopRequested { return finishStop() }
        return .fetchOffsets(atMs: nowMs + settings.retryIntervalMs)
    }

    /// Every task of the running batch succeeded: commit it with the watermark its event times give.
    public mutating func batchSucceeded(_ summary: BatchSummary, nowMs: Int64) -> JobDirective {
        guard case .running(let entry) = phase else { preconditionFailure("no batch is running") }
        let commit = CommitEntry(
            batchId: entry.batchId,
            nextWatermarkMs: Self.watermark(
                after: entry.watermarkMs, maxEventTimeMs: summary.maxEventTimeMs,
                delayMs: settings.watermarkDelayMs),
            inputRecords: summary.inputRecords, outputRows: summary.outputRows, deadLetters: summary.deadLetters,
            committedAtMs: nowMs)
        // Map tasks rerun after a lost executor read the same records, so the watermark the
        // batch planned ahead runs with is the one this commit records.
        assert(ahead == nil || ahead?.watermarkMs == commit.nextWatermarkMs, "the watermark planned ahead moved")
        phase = .committing(entry, commit)
        return .commit(commit)
    }

    /// `commits/N` is durable: the next batch starts after N's ranges.
    public mutating func committed(nowMs: Int64) -> JobDirective {
        guard case .committing(let entry, let commit) = phase else { preconditionFailure("nothing is committing") }
        precondition(entry.batchId == nextBatchId, "batches commit in order")
        lastCommittedBatchId = entry.batchId
        committedEnds.merge(entry.ends) { _, new in new }
        lastBatchWatermarkMs = entry.watermarkMs
        nextWatermarkMs = commit.nextWatermarkMs
        phase = .idle
        if stopRequested { return finishStop() }
        if let replay = nextReplay(nowMs: nowMs) { return replay }
        if let next = ahead {
            // Already durable and submitted: it runs as recorded, like a replay.
            ahead = nil
            precondition(next.batchId == nextBatchId, "the batch planned ahead follows the committed one")
            lastTriggerMs = next.plannedAtMs
            phase = .running(next)
            return .runBatch(next, writeOffsets: false)
        }
        return .fetchOffsets(atMs: nextTriggerMs(nowMs))
    }

    /// Runs the next recorded uncommitted batch, if any, exactly as recorded.
    private mutating func nextReplay(nowMs: Int64) -> JobDirective? {
        guard !replays.isEmpty else { return nil }
        let replay = replays.removeFirst()
        precondition(replay.batchId == nextBatchId, "recorded batches run again in order")
        lastTriggerMs = nowMs
        phase = .running(replay)
        return .runBatch(replay, writeOffsets: false)
    }

    /// The running batch failed for good (or its commit could not be written): the job fails.
    public mutating func batchFailed(_ reason: String) -> JobDirective {
        phase = .failed(reason)
        ahead = nil
        return .fail(reason)
    }

    /// Stop after the batch in flight; `.stop` at once when between batches, nil when the shell
    /// must let the running batch finish (the stop comes with its `committed`).
    public mutating func stop() -> JobDirective? {
        switch phase {
        case .idle: return finishStop()
        case .running, .committing:
            stopRequested = true
            return nil
        case .stopped, .failed: return nil
        }
    }

    private mutating func finishStop() -> JobDirective {
        // A batch planned ahead is abandoned uncommitted; its recorded offsets run again on restart.
        ahead = nil
        phase = .stopped
        return .stop
    }

    /// Spark's rule: a no-data batch runs when the watermark has moved past the one the last batch ran with.
    private var noDataBatchDue: Bool {
        guard settings.runsNoDataBatches, let next = nextWatermarkMs else { return false }
        guard let last = lastBatchWatermarkMs else { return true }
        return next > last
    }

    /// Nothing to do at `nowMs`: when to look again.
    private func nextPollMs(_ nowMs: Int64) -> Int64 {
        switch settings.trigger {
        case .asFastAsPossible: nowMs + settings.pollIntervalMs
        case .interval(let ms): Self.nextTick(after: nowMs, intervalMs: ms)
        }
    }

    /// A batch committed at `nowMs`: when the next one may start. Interval triggers fire on
    /// multiples of the interval; a batch that overran its interval is followed at once.
    private func nextTriggerMs(_ nowMs: Int64) -> Int64 {
        switch settings.trigger {
        case .asFastAsPossible: return nowMs
        case .interval(let ms):
            return max(nowMs, Self.nextTick(after: lastTriggerMs ?? nowMs, intervalMs: ms))
        }
    }

    /// The first multiple of `intervalMs` after `timeMs`.
    static func nextTick(after timeMs: Int64, intervalMs: Int64) -> Int64 {
        let floor = timeMs >= 0 ? timeMs / intervalMs : (timeMs - intervalMs + 1) / intervalMs
        return (floor + 1) * intervalMs
    }

    /// The watermark after a batch that ran with `previousMs` and saw `maxEventTimeMs` (Query's
    /// rule: it trails the largest event time by the delay and never moves back); nil without a
    /// watermark delay.
    static func watermark(after previousMs: Int64?, maxEventTimeMs: Int64?, delayMs: Int64?) -> Int64? {
        guard let delayMs else { return nil }
        return Watermark.next(previousMs: previousMs, batchMaxEventTimeMs: maxEventTimeMs, delayMs: delayMs)
    }
}
