import Foundation
import Query
import Synchronization
import Testing
import Wire

@testable import Driver

/// Over a backlog the loop plans, records and submits the next batch while the current one still
/// reduces: batches still read every record once, in order, each with the watermark its
/// predecessor's event times give, and a crash at any point of that overlap replays exactly.
@Suite(.dedicatedThread) struct JobRunnerAheadTests {
    typealias Support = JobRunnerTests

    /// Ten records a batch; a window count per batch, two state partitions.
    static func sql(path: String) -> String {
        """
        CREATE STREAM clicks (ts TIMESTAMP, user_id STRING) WITH (topic = 'clicks', format = 'json',
          event_time = 'ts', watermark = '5 seconds', max_records_per_batch = 10);
        CREATE SINK out WITH (type = 'file', path = '\(path)', format = 'jsonl', shuffle_partitions = 2);
        INSERT INTO out SELECT window.start AS w, count(*) AS n FROM clicks GROUP BY window(ts, '10 seconds');
        """
    }

    /// The sink's file of each batch, in the manifest's order.
    static func sinkFiles(_ root: String) throws -> [String] {
        try FileSink(directory: "\(root)/out", format: .jsonl).manifestEntries()
    }

    /// What the fake reduce writes for a batch of `records` (see `FakeBatchRunner`).
    static func batchFile(_ batchId: Int64, records: Int64) -> String {
        "{\"batch\":\(batchId),\"partition\":0,\"records\":\(records)}\n"
            + "{\"batch\":\(batchId),\"partition\":1,\"records\":\(records)}\n"
    }

    static func fileText(_ root: String, _ batchId: Int64) throws -> String {
        String(decoding: try fileBytes("\(root)/out/batch-\(batchId).jsonl"), as: UTF8.self)
    }

    @Test func theNextBatchIsSubmittedWhileThePreviousOneReducesAndEverythingStaysExact() async throws {
        try await withTemporaryDirectory { root in
            let broker = FakeBroker()
            broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 50))
            let cluster = FakeBatchRunner(holdsReduce: true)
            let runner = try Support.runner(
                sql: Self.sql(path: "out"), root: root, broker: broker, cluster: cluster, overlapBacklogMin: 1)
            await Support.runUntilCommitted(runner, 4)
            let requests = cluster.requests.withLock { $0 }.filter { $0.offsets.batchId <= 4 }
            #expect(requests.map(\.offsets.batchId) == [0, 1, 2, 3, 4])
            // Batch k reads offsets 10k..<10k+10 and, from batch 1 on, was submitted while k-1 ran.
            for request in requests {
                let k = request.offsets.batchId
                #expect(request.offsets.ranges == [SourceRange(partition: 0, start: 10 * k, end: 10 * k + 10)])
                #expect(request.after == (k == 0 ? nil : k - 1))
            }
            let overlapped = cluster.overlapped.withLock { $0 }
            #expect((1...4).allSatisfy { overlapped[Int64($0)] == true })
            // The fake gives record o event time o seconds: batch k-1's latest is 10k-1 s, less the 5 s delay.
            for request in requests.dropFirst() {
                let k = request.offsets.batchId
                #expect(request.offsets.watermarkMs == (10 * k - 1) * 1000 - 5000)
            }
            #expect(cluster.ended.withLock { $0 } == cluster.ended.withLock { $0 }.sorted())
            let files = try Self.sinkFiles(root)
            #expect(Array(files.prefix(5)) == (0..<5).map { "batch-\($0).jsonl" })
            for k in Int64(0)..<5 { #expect(try Self.fileText(root, k) == Self.batchFile(k, records: 10)) }
            let job = try CheckpointStore(root: "\(root)/checkpoint").job("job")
            for partition in Int32(0)..<2 {
                let versions = try job.stateVersions(partition: partition, version: 4)
                #expect(versions.deltas.map(\.bytes) == (0...4).map { [UInt8(partition), UInt8($0)] })
            }
        }
    }

    /// `step` of `batchId` crashes the first driver once; a second driver on the same checkpoint
    /// then runs until batch 4 is committed. Returns both clusters' requests.
    static func crashThenRestart(
        _ step: CommitStep, of batchId: Int64, root: String, broker: FakeBroker
    ) async throws -> (first: [BatchRequest], second: [BatchRequest]) {
        let crashed = Atomic<Bool>(false)
        let firstCluster = FakeBatchRunner(holdsReduce: true)
        let first = try Support.runner(
            sql: Self.sql(path: "out"), root: root, broker: broker, cluster: firstCluster, overlapBacklogMin: 1
        ) { at, id in
            at == step && id == batchId && !crashed.exchange(true, ordering: .relaxed)
        }
        first.start()
        await first.finished()
        let didCrash = crashed.load(ordering: .relaxed)
        #expect(didCrash, "the crash at \(step) of batch \(batchId) never happened")
        let secondCluster = FakeBatchRunner(holdsReduce: true)
        let second = try Support.runner(
            sql: Self.sql(path: "out"), root: root, broker: broker, cluster: secondCluster, overlapBacklogMin: 1)
        await Support.runUntilCommitted(second, 4)
        return (firstCluster.requests.withLock { $0 }, secondCluster.requests.withLock { $0 })
    }

    /// Every batch 0-4 in the sink once with its ten records, and the state chain unbroken.
    static func expectExact(_ root: String) throws {
        let files = try sinkFiles(root)
        #expect(Array(files.prefix(5)) == (0..<5).map { "batch-\($0).jsonl" })
        for k in Int64(0)..<5 { #expect(try fileText(root, k) == batchFile(k, records: 10)) }
        let job = try CheckpointStore(root: "\(root)/checkpoint").job("job")
        for partition in Int32(0)..<2 {
            let versions = try job.stateVersions(partition: partition, version: 4)
            #expect(versions.deltas.map(\.bytes) == (0...4).map { [UInt8(partition), UInt8($0)] })
        }
    }

    /// The crash comes while batch 0 reduces, just before the batch planned ahead is recorded:
    /// only batch 0 is recorded, and the restart runs it again exactly as it was.
    @Test func aCrashBeforeRecordingTheBatchPlannedAheadReplaysTheRunningOne() async throws {
        try await withTemporaryDirectory { root in
            let broker = FakeBroker()
            broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 50))
            let (first, second) = try await Self.crashThenRestart(.offsets, of: 1, root: root, broker: broker)
            #expect(first.map(\.offsets.batchId) == [0])
            #expect(second.first?.offsets == first.first?.offsets)
            try Self.expectExact(root)
        }
    }

    /// The crash comes just before `commits/0` while batch 1, planned ahead, runs: both are
    /// recorded and uncommitted, and the restart runs both again as recorded, in order.
    @Test func aCrashBeforeCommittingWhileTheNextBatchRunsReplaysBoth() async throws {
        try await withTemporaryDirectory { root in
            let broker = FakeBroker()
            broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 50))
            let (first, second) = try await Self.crashThenRestart(.commit, of: 0, root: root, broker: broker)
            let recorded = first.map(\.offsets).filter { $0.batchId <= 1 }
            #expect(recorded.map(\.batchId) == [0, 1])
            #expect(Array(second.map(\.offsets).prefix(2)) == recorded)
            try Self.expectExact(root)
        }
    }
}
