import Query
import Testing

@testable import Driver

/// Planning the next batch while the running one reduces: it starts where the running batch
/// ends, runs with the watermark that batch's event times give, and runs next as recorded.
@Suite struct JobInstanceAheadTests {
    typealias Support = JobInstanceTests

    /// A new job with batch 0 running over `latest`.
    static func running(_ settings: JobSettings, latest: [Int64]) -> JobInstance {
        var job = Support.fresh(settings)
        _ = job.start(nowMs: 0)
        _ = job.offsetsFetched(Support.offsets(latest), nowMs: 0)
        return job
    }

    static let watermarked = JobSettings(topic: "t", recordsPerBatchMax: 10, watermarkDelayMs: 5_000)

    @Test func theNextBatchStartsWhereTheRunningOneEndsAndRunsNextAsRecorded() {
        // A cap of 10 split evenly over two equally full partitions: 5 records each.
        var job = Self.running(Self.watermarked, latest: [30, 30])
        guard case .running(let first) = job.phase else { return #expect(Bool(false), "batch 0 is not running") }
        #expect(first.ranges.map(\.end) == [5, 5])
        let ahead = job.planAhead(Support.offsets([40, 40]), maxEventTimeMs: 61_000, nowMs: 50)
        #expect(ahead?.batchId == 1 && ahead?.plannedAtMs == 50)
        #expect(ahead?.ranges.map { [$0.start, $0.end] } == [[5, 10], [5, 10]])
        // Max event time 61 s less the 5 s delay.
        #expect(ahead?.watermarkMs == 56_000)
        // Only one batch ahead.
        #expect(job.planAhead(Support.offsets([50, 50]), maxEventTimeMs: 61_000, nowMs: 60) == nil)
        var summary = Support.summary
        summary.maxEventTimeMs = 61_000
        guard case .commit(let commit) = job.batchSucceeded(summary, nowMs: 70) else {
            return #expect(Bool(false), "batch 0 does not commit")
        }
        #expect(commit.nextWatermarkMs == ahead?.watermarkMs)
        guard let ahead else { return }
        // Recorded when it was planned: it runs as it is, without writing offsets again.
        #expect(job.committed(nowMs: 80) == .runBatch(ahead, writeOffsets: false))
        #expect(job.ahead == nil && job.phase == .running(ahead))
        #expect(job.lastCommittedBatchId == 0)
        #expect(Support.commit(&job, maxEventTimeMs: 62_000, nowMs: 90) == .fetchOffsets(atMs: 90))
        #expect(Support.spans(job.offsetsFetched(Support.offsets([40, 40]), nowMs: 100)) == [[10, 15], [10, 15]])
    }

    @Test func nothingIsPlannedAheadWithoutNewData() {
        var job = Self.running(Self.watermarked, latest: [5, 4])
        #expect(job.planAhead(Support.offsets([5, 4]), maxEventTimeMs: 9_000, nowMs: 1) == nil)
        #expect(job.ahead == nil)
        // The usual way still runs the no-data batch the watermark makes due.
        #expect(Support.commit(&job, maxEventTimeMs: 9_000, nowMs: 2) == .fetchOffsets(atMs: 2))
    }

    @Test func nothingIsPlannedAheadUnderAnIntervalTrigger() {
        var settings = Self.watermarked
        settings.trigger = .interval(ms: 1000)
        var job = Self.running(settings, latest: [30])
        #expect(job.planAhead(Support.offsets([30]), maxEventTimeMs: nil, nowMs: 1) == nil)
    }

    @Test func nothingIsPlannedAheadWhileAStopIsPendingAndAPlannedBatchIsAbandonedByAStop() {
        var job = Self.running(Self.watermarked, latest: [30])
        #expect(job.stop() == nil)
        #expect(job.planAhead(Support.offsets([30]), maxEventTimeMs: nil, nowMs: 1) == nil)
        var other = Self.running(Self.watermarked, latest: [30])
        #expect(other.planAhead(Support.offsets([30]), maxEventTimeMs: nil, nowMs: 1)?.batchId == 1)
        #expect(other.stop() == nil)
        // Batch 0 commits, then the job stops; batch 1 stays recorded for a restart to run.
        #expect(Support.commit(&other, nowMs: 2) == .stop)
        #expect(other.ahead == nil && other.phase == .stopped)
    }

    @Test func aFailedBatchDropsThePlannedOneAndDropAheadForgetsIt() {
        var job = Self.running(Self.watermarked, latest: [30])
        _ = job.planAhead(Support.offsets([30]), maxEventTimeMs: nil, nowMs: 1)
        #expect(job.batchFailed("boom") == .fail("boom"))
        #expect(job.ahead == nil)
        var other = Self.running(Self.watermarked, latest: [30])
        _ = other.planAhead(Support.offsets([30]), maxEventTimeMs: nil, nowMs: 1)
        other.dropAhead()
        // Planned again the usual way, from the committed ends.
        #expect(Support.commit(&other, nowMs: 2) == .fetchOffsets(atMs: 2))
        #expect(Support.spans(other.offsetsFetched(Support.offsets([30]), nowMs: 3)) == [[10, 20]])
    }

    @Test func replaysRunBeforeAnythingIsPlannedAhead() {
        let first = Support.entry(4, 10, 20)
        let second = Support.entry(5, 20, 30)
        let commit = CommitEntry(
            batchId: 3, nextWatermarkMs: nil, inputRecords: 1, outputRows: 1, deadLetters: 0, committedAtMs: 0)
        var job = JobInstance(
            jobId: "j", settings: Self.watermarked,
            recovered: RecoveredBatches(lastOffsets: second, lastCommit: commit, uncommittedBefore: first))
        #expect(job.start(nowMs: 0) == .runBatch(first, writeOffsets: false))
        #expect(job.planAhead(Support.offsets([50]), maxEventTimeMs: nil, nowMs: 1) == nil)
        #expect(Support.commit(&job, nowMs: 2) == .runBatch(second, writeOffsets: false))
        // The last replay runs: now the batch after it may be planned ahead.
        #expect(job.planAhead(Support.offsets([50]), maxEventTimeMs: nil, nowMs: 3)?.ranges.first?.start == 30)
    }
}
