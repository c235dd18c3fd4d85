import Query
import Testing

@testable import Driver

/// The micro-batch loop's logic without sockets or files: which ranges, when, with which watermark,
/// and what a restart runs again.
@Suite struct JobInstanceTests {
    static func offsets(_ latest: [Int64], earliest: [Int64]? = nil) -> [PartitionOffsets] {
        latest.indices.map { PartitionOffsets(partition: Int32($0), earliest: earliest?[$0] ?? 0, latest: latest[$0]) }
    }

    static func ranges(_ directive: JobDirective) -> [SourceRange]? {
        guard case .runBatch(let entry, _) = directive else { return nil }
        return entry.ranges
    }

    static func spans(_ directive: JobDirective) -> [[Int64]]? {
        ranges(directive)?.map { [$0.start, $0.end] }
    }

    static let summary = BatchSummary(maxEventTimeMs: nil, inputRecords: 0, outputRows: 0, deadLetters: 0)

    /// Runs the batch `directive` started to its commit and returns the next directive.
    static func commit(_ job: inout JobInstance, maxEventTimeMs: Int64? = nil, nowMs: Int64) -> JobDirective {
        var summary = Self.summary
        summary.maxEventTimeMs = maxEventTimeMs
        guard case .commit = job.batchSucceeded(summary, nowMs: nowMs) else { return .fail("no commit") }
        return job.committed(nowMs: nowMs)
    }

    /// A recorded batch reading partition 0 of topic t from `start` to `end`.
    static func entry(_ batchId: Int64, _ start: Int64, _ end: Int64) -> OffsetEntry {
        OffsetEntry(
            batchId: batchId, topic: "t", ranges: [SourceRange(partition: 0, start: start, end: end)], watermarkMs: nil,
            plannedAtMs: 0)
    }

    static func fresh(_ settings: JobSettings) -> JobInstance {
        JobInstance(jobId: "j", settings: settings, recovered: RecoveredBatches(lastOffsets: nil, lastCommit: nil))
    }

    @Test func newJobReadsFromEarliestToLatestThenFromWhereItEnded() {
        var job = Self.fresh(JobSettings(topic: "t"))
        #expect(job.start(nowMs: 1000) == .fetchOffsets(atMs: 1000))
        let first = job.offsetsFetched(Self.offsets([10, 0, 5], earliest: [2, 0, 0]), nowMs: 1000)
        #expect(Self.spans(first) == [[2, 10], [0, 0], [0, 5]])
        guard case .runBatch(let entry, let writes) = first else { return }
        #expect(entry.batchId == 0 && writes && entry.watermarkMs == nil && entry.plannedAtMs == 1000)
        #expect(Self.commit(&job, nowMs: 1010) == .fetchOffsets(atMs: 1010))
        let second = job.offsetsFetched(Self.offsets([12, 3, 5]), nowMs: 1020)
        #expect(Self.spans(second) == [[10, 12], [0, 3], [5, 5]])
        guard case .runBatch(let next, _) = second else { return }
        #expect(next.batchId == 1)
    }

    @Test func latestStartingOffsetsSkipOldRecordsButStillRecordBatchZero() {
        var job = Self.fresh(JobSettings(topic: "t", startingOffsets: .latest))
        _ = job.start(nowMs: 0)
        // Batch 0 reads nothing, yet runs, so the starting positions are in the checkpoint.
        #expect(Self.spans(job.offsetsFetched(Self.offsets([100, 7]), nowMs: 0)) == [[100, 100], [7, 7]])
        _ = Self.commit(&job, nowMs: 1)
        #expect(Self.spans(job.offsetsFetched(Self.offsets([103, 7]), nowMs: 2)) == [[100, 103], [7, 7]])
    }

    @Test func noNewDataPollsAgainAfterTheInterval() {
        var job = Self.fresh(JobSettings(topic: "t", pollIntervalMs: 80))
        _ = job.start(nowMs: 0)
        _ = job.offsetsFetched(Self.offsets([4]), nowMs: 0)
        _ = Self.commit(&job, nowMs: 5)
        #expect(job.offsetsFetched(Self.offsets([4]), nowMs: 10) == .fetchOffsets(atMs: 90))
        #expect(job.offsetsUnavailable(nowMs: 90) == .fetchOffsets(atMs: 590))
        #expect(job.nextBatchId == 1)
    }

    @Test func aMissingTopicWaitsWithoutABatch() {
        var job = Self.fresh(JobSettings(topic: "t", pollIntervalMs: 50))
        _ = job.start(nowMs: 0)
        #expect(job.offsetsFetched([], nowMs: 0) == .fetchOffsets(atMs: 50))
    }

    @Test func capIsSpreadInProportionToWhatEachPartitionHas() {
        // 50 of 202: 100/202 of 50 is 24.75 each, 2/202 of 50 is 0.495; the two left over go to the
        // largest remainders.
        #expect(RangePlanner.proportionalShares(available: [100, 2, 100, 0], cap: 50) == [25, 0, 25, 0])
        #expect(RangePlanner.proportionalShares(available: [10, 10, 10], cap: 10) == [4, 3, 3])
        #expect(RangePlanner.proportionalShares(available: [1, 1], cap: 5) == [1, 1])
        #expect(RangePlanner.proportionalShares(available: [5, 5, 5], cap: 2) == [1, 1, 0])
        #expect(RangePlanner.proportionalShares(available: [300, 100], cap: 100) == [75, 25])
        #expect(RangePlanner.proportionalShares(available: [.max / 2, .max / 2], cap: 3) == [2, 1])
        var job = Self.fresh(JobSettings(topic: "t", recordsPerBatchMax: 10))
        _ = job.start(nowMs: 0)
        #expect(Self.spans(job.offsetsFetched(Self.offsets([60, 20]), nowMs: 0)) == [[0, 8], [0, 2]])
        _ = Self.commit(&job, nowMs: 0)
        #expect(Self.spans(job.offsetsFetched(Self.offsets([60, 20]), nowMs: 0)) == [[8, 15], [2, 5]])
    }

    @Test func sharesAreExactlyTheCapAndNeverMoreThanAvailable() {
        var random = SplitMix(seed: 7)
        for _ in 0..<2000 {
            let available = (0..<Int(random.next() % 6 + 1)).map { _ in Int64(random.next() % 50) }
            let cap = Int64(random.next() % 60 + 1)
            let shares = RangePlanner.proportionalShares(available: available, cap: cap)
            let total = available.reduce(0, +)
            #expect(shares.reduce(0, +) == min(cap, total))
            #expect(zip(shares, available).allSatisfy { $0 >= 0 && $0 <= $1 })
            // Each share is within one record of its exact proportion.
            guard total > cap else { continue }
            for (share, amount) in zip(shares, available) {
                let exact = Double(cap) * Double(amount) / Double(total)
                #expect(abs(Double(share) - exact) < 1)
            }
        }
    }

    @Test func startOutsideTheLogMovesIntoIt() {
        var job = JobInstance(
            jobId: "j", settings: JobSettings(topic: "t"),
            recovered: RecoveredBatches(
                lastOffsets: OffsetEntry(
                    batchId: 3, topic: "t",
                    ranges: [
                        SourceRange(partition: 0, start: 0, end: 10), SourceRange(partition: 1, start: 0, end: 50),
                    ], watermarkMs: nil, plannedAtMs: 0),
                lastCommit: CommitEntry(
                    batchId: 3, nextWatermarkMs: nil, inputRecords: 60, outputRows: 0, deadLetters: 0,
                    committedAtMs: 0)))
        _ = job.start(nowMs: 0)
        // Partition 0 lost 10..<20 to retention; partition 1 was recreated and is shorter now;
        // partition 2 is new and is read from its beginning.
        let directive = job.offsetsFetched(
            [
                PartitionOffsets(partition: 0, earliest: 20, latest: 25),
                PartitionOffsets(partition: 1, earliest: 0, latest: 8),
                PartitionOffsets(partition: 2, earliest: 0, latest: 4),
            ], nowMs: 0)
        #expect(Self.spans(directive) == [[20, 25], [8, 8], [0, 4]])
    }

    @Test func restartRerunsTwoUncommittedBatchesInOrderThenPlansAfterThem() {
        let batch1 = OffsetEntry(
            batchId: 1, topic: "t", ranges: [SourceRange(partition: 0, start: 10, end: 20)], watermarkMs: 4000,
            plannedAtMs: 0)
        let batch2 = OffsetEntry(
            batchId: 2, topic: "t", ranges: [SourceRange(partition: 0, start: 20, end: 25)], watermarkMs: 9000,
            plannedAtMs: 0)
        var job = JobInstance(
            jobId: "j", settings: JobSettings(topic: "t"),
            recovered: RecoveredBatches(
                lastOffsets: batch2,
                lastCommit: CommitEntry(
                    batchId: 0, nextWatermarkMs: 4000, inputRecords: 10, outputRows: 0, deadLetters: 0,
                    committedAtMs: 0),
                uncommittedBefore: batch1))
        #expect(job.start(nowMs: 0) == .runBatch(batch1, writeOffsets: false))
        // Batch 1's commit leads straight to batch 2 as recorded, not to new offsets.
        #expect(Self.commit(&job, maxEventTimeMs: 14_000, nowMs: 1) == .runBatch(batch2, writeOffsets: false))
        #expect(Self.commit(&job, nowMs: 2) == .fetchOffsets(atMs: 2))
        #expect(Self.spans(job.offsetsFetched(Self.offsets([30]), nowMs: 3)) == [[25, 30]])
        #expect(job.nextBatchId == 3)
    }

    @Test func aStopDuringTheFirstOfTwoReplaysLeavesTheSecondRecorded() {
        let batch0 = Self.entry(0, 0, 10)
        let batch1 = Self.entry(1, 10, 12)
        var job = JobInstance(
            jobId: "j", settings: JobSettings(topic: "t"),
            recovered: RecoveredBatches(lastOffsets: batch1, lastCommit: nil, uncommittedBefore: batch0))
        #expect(job.start(nowMs: 0) == .runBatch(batch0, writeOffsets: false))
        #expect(job.stop() == nil)
        #expect(Self.commit(&job, nowMs: 1) == .stop)
    }

    @Test func intervalTriggerFiresOnMultiplesOfTheInterval() {
        var job = Self.fresh(JobSettings(topic: "t", trigger: .interval(ms: 1000)))
        #expect(job.start(nowMs: 10_250) == .fetchOffsets(atMs: 10_250))
        _ = job.offsetsFetched(Self.offsets([5]), nowMs: 10_250)
        // A batch that ends within its interval waits for the next tick.
        #expect(Self.commit(&job, nowMs: 10_400) == .fetchOffsets(atMs: 11_000))
        _ = job.offsetsFetched(Self.offsets([9]), nowMs: 11_000)
        // One that overran it is followed at once.
        #expect(Self.commit(&job, nowMs: 12_300) == .fetchOffsets(atMs: 12_300))
        // No data at a tick: wait for the next tick, not the poll interval.
        #expect(job.offsetsFetched(Self.offsets([9]), nowMs: 12_300) == .fetchOffsets(atMs: 13_000))
        #expect(JobInstance.nextTick(after: -1, intervalMs: 1000) == 0)
    }

    @Test func watermarkTrailsTheLargestEventTimeAndNeverMovesBack() {
        var job = Self.fresh(JobSettings(topic: "t", watermarkDelayMs: 5000))
        _ = job.start(nowMs: 0)
        _ = job.offsetsFetched(Self.offsets([5]), nowMs: 0)
        _ = Self.commit(&job, maxEventTimeMs: 20_000, nowMs: 0)
        #expect(job.nextWatermarkMs == 15_000)
        guard case .runBatch(let entry, _) = job.offsetsFetched(Self.offsets([8]), nowMs: 0) else {
            Issue.record("no batch")
            return
        }
        #expect(entry.watermarkMs == 15_000)
        _ = Self.commit(&job, maxEventTimeMs: 12_000, nowMs: 0)
        #expect(job.nextWatermarkMs == 15_000)
        _ = job.offsetsFetched(Self.offsets([9]), nowMs: 0)
        _ = Self.commit(&job, maxEventTimeMs: nil, nowMs: 0)
        #expect(job.nextWatermarkMs == 15_000)
    }

    @Test func noDataBatchRunsOnceWhenTheWatermarkMoves() {
        let settings = JobSettings(topic: "t", watermarkDelayMs: 1000, runsNoDataBatches: true, pollIntervalMs: 50)
        var job = Self.fresh(settings)
        _ = job.start(nowMs: 0)
        _ = job.offsetsFetched(Self.offsets([5]), nowMs: 0)
        _ = Self.commit(&job, maxEventTimeMs: 9000, nowMs: 0)
        // Batch 0 ran with no watermark; the watermark is now 8000: one batch without data is due.
        let due = job.offsetsFetched(Self.offsets([5]), nowMs: 10)
        guard case .runBatch(let entry, true) = due else {
            Issue.record("expected a no-data batch, got \(due)")
            return
        }
        #expect(
            entry.isNoData && entry.watermarkMs == 8000 && entry.ranges == [SourceRange(partition: 0, start: 5, end: 5)]
        )
        _ = Self.commit(&job, maxEventTimeMs: nil, nowMs: 20)
        // It ran with 8000 and the watermark is still 8000: nothing more until data comes.
        #expect(job.offsetsFetched(Self.offsets([5]), nowMs: 30) == .fetchOffsets(atMs: 80))

        var stateless = Self.fresh(JobSettings(topic: "t", watermarkDelayMs: 1000, runsNoDataBatches: false))
        _ = stateless.start(nowMs: 0)
        _ = stateless.offsetsFetched(Self.offsets([5]), nowMs: 0)
        _ = Self.commit(&stateless, maxEventTimeMs: 9000, nowMs: 0)
        #expect(stateless.offsetsFetched(Self.offsets([5]), nowMs: 10) == .fetchOffsets(atMs: 60))
    }

    @Test func settingsFollowThePlan() throws {
        let sql = """
            CREATE STREAM clicks (ts TIMESTAMP, user_id STRING) WITH (topic = 'website-logs', format = 'json',
              event_time = 'ts', watermark = '5 seconds', starting_offsets = 'latest', max_records_per_batch = 1000);
            CREATE SINK out WITH (type = 'console', trigger = '2 seconds');
            INSERT INTO out SELECT window.start AS w, count(*) AS n FROM clicks GROUP BY window(ts, '10 seconds');
            """
        let settings = JobSettings(plan: try QueryCompiler.compile(sql))
        #expect(settings.topic == "website-logs" && settings.startingOffsets == .latest)
        #expect(settings.recordsPerBatchMax == 1000 && settings.trigger == .interval(ms: 2000))
        #expect(settings.watermarkDelayMs == 5000 && settings.runsNoDataBatches)
    }

    // MARK: restart shapes

    static let entry0 = OffsetEntry(
        batchId: 0, topic: "t", ranges: [SourceRange(partition: 0, start: 0, end: 10)], watermarkMs: nil,
        plannedAtMs: 0)
    static let entry1 = OffsetEntry(
        batchId: 1, topic: "t", ranges: [SourceRange(partition: 0, start: 10, end: 15)], watermarkMs: 4000,
        plannedAtMs: 1)
    static func commit(_ batchId: Int64, watermarkMs: Int64?) -> CommitEntry {
        CommitEntry(
            batchId: batchId, nextWatermarkMs: watermarkMs, inputRecords: 0, outputRows: 0, deadLetters: 0,
            committedAtMs: 0)
    }

    @Test func restartRerunsAnUncommittedFirstBatchExactly() {
        var job = JobInstance(
            jobId: "j", settings: JobSettings(topic: "t"),
            recovered: RecoveredBatches(lastOffsets: Self.entry0, lastCommit: nil))
        #expect(job.start(nowMs: 99) == .runBatch(Self.entry0, writeOffsets: false))
        #expect(Self.commit(&job, nowMs: 100) == .fetchOffsets(atMs: 100))
        #expect(job.lastCommittedBatchId == 0)
        #expect(Self.spans(job.offsetsFetched(Self.offsets([12]), nowMs: 101)) == [[10, 12]])
    }

    @Test func restartRerunsAnUncommittedLaterBatchWithItsWatermark() {
        var job = JobInstance(
            jobId: "j", settings: JobSettings(topic: "t", watermarkDelayMs: 1000),
            recovered: RecoveredBatches(lastOffsets: Self.entry1, lastCommit: Self.commit(0, watermarkMs: 4000)))
        // Even though more data has arrived, the recorded batch runs as it was.
        #expect(job.start(nowMs: 0) == .runBatch(Self.entry1, writeOffsets: false))
        _ = Self.commit(&job, maxEventTimeMs: 7000, nowMs: 0)
        #expect(job.lastCommittedBatchId == 1 && job.nextWatermarkMs == 6000)
        guard case .runBatch(let next, true) = job.offsetsFetched(Self.offsets([30]), nowMs: 0) else {
            Issue.record("no batch")
            return
        }
        #expect(next.batchId == 2 && next.ranges == [SourceRange(partition: 0, start: 15, end: 30)])
        #expect(next.watermarkMs == 6000)
    }

    @Test func restartAfterACleanCommitPlansTheNextBatch() {
        var job = JobInstance(
            jobId: "j", settings: JobSettings(topic: "t", watermarkDelayMs: 1000, runsNoDataBatches: true),
            recovered: RecoveredBatches(lastOffsets: Self.entry1, lastCommit: Self.commit(1, watermarkMs: 9000)))
        #expect(job.start(nowMs: 5) == .fetchOffsets(atMs: 5))
        // No new data, but the watermark moved from 4000 (what batch 1 ran with) to 9000.
        guard case .runBatch(let next, true) = job.offsetsFetched(Self.offsets([15]), nowMs: 6) else {
            Issue.record("no batch")
            return
        }
        #expect(next.batchId == 2 && next.isNoData && next.watermarkMs == 9000)
    }

    // MARK: stop and failure

    @Test func stopBetweenBatchesIsImmediateAndDuringABatchWaitsForItsCommit() {
        var idle = Self.fresh(JobSettings(topic: "t"))
        _ = idle.start(nowMs: 0)
        #expect(idle.stop() == .stop)
        #expect(idle.phase == .stopped)

        var busy = Self.fresh(JobSettings(topic: "t"))
        _ = busy.start(nowMs: 0)
        _ = busy.offsetsFetched(Self.offsets([3]), nowMs: 0)
        #expect(busy.stop() == nil)
        #expect(Self.commit(&busy, nowMs: 1) == .stop)
        #expect(busy.phase == .stopped && busy.lastCommittedBatchId == 0)
    }

    @Test func failedBatchFailsTheJob() {
        var job = Self.fresh(JobSettings(topic: "t"))
        _ = job.start(nowMs: 0)
        _ = job.offsetsFetched(Self.offsets([3]), nowMs: 0)
        #expect(job.batchFailed("task failed 4 times") == .fail("task failed 4 times"))
        #expect(job.phase == .failed("task failed 4 times"))
        #expect(job.stop() == nil)
    }
}

/// A small seeded generator for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
