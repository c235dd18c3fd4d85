import Foundation
import Query
import Synchronization
import Testing
import Wire

@testable import Driver

/// The job loop end to end with a fake broker and a fake cluster: batches commit in order, and a
/// crash before any commit step followed by a restart on the same checkpoint writes every output
/// exactly once.
@Suite(.dedicatedThread) struct JobRunnerTests {
    static let statelessSQL = """
        CREATE STREAM clicks (user_id STRING) WITH (topic = 'clicks', format = 'json');
        CREATE SINK out WITH (type = 'topic', topic = 'out');
        INSERT INTO out SELECT user_id FROM clicks;
        """

    static func aggregateSQL(path: String) -> String {
        """
        CREATE STREAM clicks (ts TIMESTAMP, user_id STRING) WITH (topic = 'clicks', format = 'json',
          event_time = 'ts', watermark = '5 seconds');
        CREATE SINK out WITH (type = 'file', path = '\(path)', format = 'jsonl', shuffle_partitions = 2);
        INSERT INTO out SELECT window.start AS w, count(*) AS n FROM clicks GROUP BY window(ts, '10 seconds');
        """
    }

    /// One driver lifetime of a job over `root`'s checkpoint.
    static func runner(
        sql: String, root: String, broker: FakeBroker, cluster: FakeBatchRunner,
        overlapBacklogMin: Int64 = 10_000, crashBefore: (@Sendable (CommitStep, Int64) -> Bool)? = nil
    ) throws -> JobRunner {
        let plan = try QueryCompiler.compile(sql)
        let store = try CheckpointStore(root: "\(root)/checkpoint")
        let checkpoint =
            try store.jobIds().contains("job")
            ? store.job("job")
            : try store.createJob("job", sql: sql, meta: JobMeta(name: "job", createdAtMs: 0, state: .running))
        let sink = SinkFactory.make(plan.sink, jobId: "job", broker: broker, workingDirectory: root) { _ in }
        var environment = JobEnvironment(
            checkpoint: checkpoint, broker: broker, runner: cluster, sink: sink,
            deadLetters: DeadLetterWriter(broker: broker, jobId: "job", sourceTopic: "clicks"))
        environment.crashBefore = crashBefore
        environment.commitRetryMs = 1
        environment.overlapBacklogMin = overlapBacklogMin
        return JobRunner(
            jobId: "job", sql: sql, plan: plan, createdAtMs: 0, environment: environment, pollIntervalMs: 5)
    }

    /// Runs a fresh runner until it has committed `batchId`, then stops it.
    static func runUntilCommitted(_ runner: JobRunner, _ batchId: Int64) async {
        runner.start()
        #expect(await eventually { (runner.status.lastCommittedBatchId ?? -1) >= batchId || runner.isFinished })
        runner.requestStop()
        await runner.finished()
    }

    /// Offsets written to the topic sink, per source partition; duplicates would show.
    static func sinkOffsets(_ broker: FakeBroker) -> [Int64: [Int64]] {
        var offsets: [Int64: [Int64]] = [:]
        for record in broker.allRecords("out") {
            let text = String(decoding: record.value, as: UTF8.self)
            // {"partition":P,"offset":O}
            let numbers = text.split { !"0123456789".contains($0) }.compactMap { Int64($0) }
            offsets[numbers[0], default: []].append(numbers[1])
        }
        return offsets.mapValues { $0.sorted() }
    }

    @Test func batchesCommitInOrderAndReadEveryRecordOnce() async throws {
        try await withTemporaryDirectory { root in
            let broker = FakeBroker()
            broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 12), partitions: 2)
            broker.append("clicks", partition: 1, values: Array(repeating: [1], count: 7), partitions: 2)
            let cluster = FakeBatchRunner()
            let runner = try Self.runner(sql: Self.statelessSQL, root: root, broker: broker, cluster: cluster)
            runner.start()
            #expect(await eventually { runner.status.lastCommittedBatchId == 0 })
            broker.append("clicks", partition: 1, values: Array(repeating: [1], count: 5))
            #expect(await eventually { runner.status.lastCommittedBatchId == 1 })
            runner.requestStop()
            await runner.finished()
            #expect(Self.sinkOffsets(broker) == [0: Array(0..<12), 1: Array(0..<12)])
            let dlq = broker.allRecords("job.dlq").map { $0.header("offset") ?? "" }.sorted()
            #expect(dlq == ["9", "9"])
            #expect(cluster.releases.withLock { $0 } == [0, 1])
            let status = runner.status
            #expect(status.state == .stopped && status.batchesCommitted == 2 && status.inputRows == 24)
            #expect(status.recentProgress.map(\.numInputRows) == [19, 5])
            #expect(
                status.recentProgress.last?.source.ranges == [
                    SourceRange(partition: 0, start: 12, end: 12), SourceRange(partition: 1, start: 7, end: 12),
                ])
            let meta = try CheckpointStore(root: "\(root)/checkpoint").job("job").readMeta()
            #expect(meta.state == .stopped)
        }
    }

    @Test func aFailedBatchFailsTheJobAndKeepsItsOffsetsForAResubmission() async throws {
        try await withTemporaryDirectory { root in
            let broker = FakeBroker()
            broker.append("clicks", partition: 0, values: [[1], [2]])
            let cluster = FakeBatchRunner()
            cluster.scripted.withLock { $0 = [.failed("task 0/0 failed 4 times; last error: boom")] }
            let runner = try Self.runner(sql: Self.statelessSQL, root: root, broker: broker, cluster: cluster)
            runner.start()
            await runner.finished()
            #expect(runner.status.state == .failed)
            #expect(runner.status.failure?.contains("boom") == true)
            let job = try CheckpointStore(root: "\(root)/checkpoint").job("job")
            #expect(try job.readMeta().state == .failed)
            #expect(try job.recoverBatches().uncommitted?.batchId == 0)
            #expect(broker.allRecords("out").isEmpty)
        }
    }

    static func crashThenRestart(_ step: CommitStep, sql: String, root: String, broker: FakeBroker) async throws
        -> (first: [BatchRequest], second: [BatchRequest])
    {
        let crashed = Atomic<Bool>(false)
        let firstCluster = FakeBatchRunner()
        let first = try runner(sql: sql, root: root, broker: broker, cluster: firstCluster) { at, batchId in
            at == step && batchId == 0 && !crashed.exchange(true, ordering: .relaxed)
        }
        first.start()
        await first.finished()
        let didCrash = crashed.load(ordering: .relaxed)
        #expect(didCrash, "the crash at \(step) never happened")
        // More data arrives while the driver is down; the replay must not read it.
        broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 10))
        let secondCluster = FakeBatchRunner()
        let second = try runner(sql: sql, root: root, broker: broker, cluster: secondCluster)
        // Without offsets/0 on disk, batch 0 is planned anew and reads everything: one batch.
        await runUntilCommitted(second, step == .offsets ? 0 : 1)
        return (firstCluster.requests.withLock { $0 }, secondCluster.requests.withLock { $0 })
    }

    @Test(arguments: CommitStep.allCases)
    func crashBeforeAStepThenRestartWritesEveryOutputOnce(step: CommitStep) async throws {
        try await withTemporaryDirectory { root in
            let broker = FakeBroker()
            broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 25), partitions: 2)
            broker.append("clicks", partition: 1, values: Array(repeating: [1], count: 25), partitions: 2)
            let (first, second) = try await Self.crashThenRestart(
                step, sql: Self.statelessSQL, root: root, broker: broker)
            if step != .offsets && step != .progress {
                // offsets/0 was durable and commits/0 was not: the replay runs batch 0 exactly as recorded.
                #expect(second.first?.offsets == first.first?.offsets)
            }
            #expect(Self.sinkOffsets(broker) == [0: Array(0..<35), 1: Array(0..<25)])
            let letters = broker.allRecords("job.dlq").map {
                "\($0.header("partition") ?? ""):\($0.header("offset") ?? "")"
            }
            #expect(letters.sorted() == ["0:19", "0:29", "0:9", "1:19", "1:9"])
            let job = try CheckpointStore(root: "\(root)/checkpoint").job("job")
            #expect(try job.recoverBatches().lastCommit?.batchId == (step == .offsets ? 0 : 1))
        }
    }

    /// The next batch is planned (and its offsets written) while a commit is being written; a
    /// crash just before `commits/0` then leaves two uncommitted batches, and the restart runs both
    /// again exactly as recorded before planning anything new.
    @Test func aCrashWhileTheNextBatchRunsRerunsBothRecordedBatches() async throws {
        try await withTemporaryDirectory { root in
            let broker = FakeBroker()
            broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 25), partitions: 2)
            broker.append("clicks", partition: 1, values: Array(repeating: [1], count: 25), partitions: 2)
            let offsets1 = "\(root)/checkpoint/job/offsets/1"
            let crashed = Atomic<Bool>(false)
            let firstCluster = FakeBatchRunner()
            // Every commit overlaps the next batch here, backlog or not.
            let first = try Self.runner(
                sql: Self.statelessSQL, root: root, broker: broker, cluster: firstCluster, overlapBacklogMin: 0
            ) { step, batchId in
                guard step == .commit, batchId == 0, !crashed.exchange(true, ordering: .relaxed) else { return false }
                // New data arrives while batch 0 commits; batch 1 is planned from it meanwhile.
                broker.append("clicks", partition: 1, values: Array(repeating: [1], count: 5))
                let deadline = MonotonicClock.milliseconds() + UInt64(safetyNetMs)
                while !FileManager.default.fileExists(atPath: offsets1) && MonotonicClock.milliseconds() < deadline {
                    usleep(1000)
                }
                return true
            }
            first.start()
            await first.finished()
            let recorded = firstCluster.requests.withLock { $0 }.map(\.offsets)
            #expect(recorded.count == 2 && recorded.map(\.batchId) == [0, 1])
            let job = try CheckpointStore(root: "\(root)/checkpoint").job("job")
            #expect(try job.recoverBatches().replays == recorded)
            broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 10))
            let secondCluster = FakeBatchRunner()
            let second = try Self.runner(sql: Self.statelessSQL, root: root, broker: broker, cluster: secondCluster)
            await Self.runUntilCommitted(second, 2)
            let rerun = secondCluster.requests.withLock { $0 }.map(\.offsets)
            #expect(Array(rerun.prefix(2)) == recorded)
            #expect(Self.sinkOffsets(broker) == [0: Array(0..<35), 1: Array(0..<30)])
            #expect(try job.recoverBatches().lastCommit?.batchId == 2)
        }
    }

    /// A commit overlaps the next batch only over a backlog (or in a replay); a job keeping up
    /// with its source commits each batch before planning the next.
    @Test func aCommitOverlapsTheNextBatchOnlyOverABacklog() throws {
        try withTemporaryDirectory { root in
            let runner = try Self.runner(
                sql: Self.statelessSQL, root: root, broker: FakeBroker(), cluster: FakeBatchRunner())
            let entry = OffsetEntry(
                batchId: 3, topic: "clicks",
                ranges: [SourceRange(partition: 0, start: 0, end: 100), SourceRange(partition: 1, start: 0, end: 50)],
                watermarkMs: nil, plannedAtMs: 0)
            func overlaps(_ latest: [Int32: Int64]?) -> Bool {
                runner.overlapsNextBatch(JobRunner.BatchContext(entry: entry, latest: latest))
            }
            #expect(!overlaps([0: 100, 1: 50]))
            #expect(!overlaps([0: 5_100, 1: 5_049]))
            #expect(overlaps([0: 5_100, 1: 5_050]))
            #expect(overlaps([0: 10_100]))
            // A partition the batch did not read adds nothing; a replay has no latest offsets.
            #expect(!overlaps([0: 100, 1: 50, 2: 1_000_000]))
            #expect(overlaps(nil))
        }
    }

    /// A reduce task restoring the state version being committed (its executor was lost) waits
    /// for that commit: `waitForCommit` returns only once the version is on disk.
    @Test func aStateFetchWaitsForTheVersionBeingCommitted() async throws {
        try await withTemporaryDirectory { root in
            let broker = FakeBroker()
            broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 25))
            let entered = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let held = Atomic<Bool>(false)
            let runner = try Self.runner(
                sql: Self.aggregateSQL(path: "out"), root: root, broker: broker, cluster: FakeBatchRunner()
            ) { step, batchId in
                // The hook is asked more than once per step; hold the commit the first time only.
                guard step == .state, batchId == 0, !held.exchange(true, ordering: .relaxed) else { return false }
                entered.signal()
                _ = release.wait(timeout: .now() + .milliseconds(safetyNetMs))
                return false
            }
            runner.start()
            let job = try CheckpointStore(root: "\(root)/checkpoint").job("job")
            let found = await offPool { () -> Bool in
                guard entered.wait(timeout: .now() + .milliseconds(safetyNetMs)) == .success else { return false }
                // The commit of batch 0 is held before its state step; let it go from another thread.
                Thread { release.signal() }.start()
                runner.waitForCommit(of: 0, timeoutMs: safetyNetMs)
                return (try? job.stateVersions(partition: 0, version: 0).deltas.count) == 1
            }
            #expect(found)
            runner.requestStop()
            await runner.finished()
        }
    }

    @Test(arguments: CommitStep.allCases)
    func crashInAnAggregationThenRestartKeepsStateAndFilesExact(step: CommitStep) async throws {
        try await withTemporaryDirectory { root in
            let broker = FakeBroker()
            broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 25))
            let sql = Self.aggregateSQL(path: "out")
            let (_, second) = try await Self.crashThenRestart(step, sql: sql, root: root, broker: broker)
            #expect(second.allSatisfy { $0.reducePartitions == 2 })
            let sink = FileSink(directory: "\(root)/out", format: .jsonl)
            let files = try sink.manifestEntries()
            // Each batch's file is listed once, in order (no-data batches the watermark triggers may follow).
            let minimum = step == .offsets ? 1 : 2
            #expect(files.count >= minimum && files == (0..<files.count).map { "batch-\($0).jsonl" })
            // Batch 0 read what offsets/0 recorded: 25 records, or all 35 if it was never written.
            let records = step == .offsets ? 35 : 25
            let batch0 = String(decoding: try fileBytes("\(root)/out/batch-0.jsonl"), as: UTF8.self)
            #expect(
                batch0
                    == "{\"batch\":0,\"partition\":0,\"records\":\(records)}\n{\"batch\":0,\"partition\":1,\"records\":\(records)}\n"
            )
            let job = try CheckpointStore(root: "\(root)/checkpoint").job("job")
            // State version 1 of each partition stands on version 0, as the executor would restore it.
            let last: Int64 = step == .offsets ? 0 : 1
            for partition in Int32(0)..<2 {
                let versions = try job.stateVersions(partition: partition, version: last)
                #expect(versions.deltas.map(\.bytes) == (0...last).map { [UInt8(partition), UInt8($0)] })
            }
            #expect(broker.allRecords("job.dlq").count == 3)
        }
    }
}
