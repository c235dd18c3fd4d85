import Query
import Testing

@testable import Executor

/// Reduce tasks read map outputs held by other executors over their shuffle servers.
@Suite struct ShuffleFetchTests {
    /// Map tasks split over two executors; every reduce runs on the second, which fetches the
    /// first's blocks over RPC. Once the first executor is stopped, a reduce that needs its output
    /// fails with a fetch failure naming that executor and the first map partition it held.
    @Test func reduceFetchesPeerBlocksAndNamesALostPeer() async throws {
        let data = ClickData(count: 3_000, seed: 33)
        try await withCluster(executors: 2, data: data) { cluster, ids in
            let (first, second) = (ids[0], ids[1])
            let runner = try BatchRunner(driver: cluster.driver)
            let ranges = Dictionary(uniqueKeysWithValues: (0..<data.partitions).map { ($0, 0..<data.end($0)) })
            var batch = try await runner.map(
                batch: 0, ranges: ranges, watermarkMs: nil, mapOn: { $0 == 1 ? second : first })
            // A watermark past every window closes them all in this one batch.
            let closing = try #require(batch.maxEventTimeMs) + 60_000
            try await runner.reduce(
                &batch, batch: 0, stateVersion: nil, watermarkMs: closing, reduceOn: { _ in second })
            #expect(try batch.rows.sorted() == WindowRow.expected(data.counted(ranges, watermarkMs: nil)))

            await cluster.node(first)?.stop()
            let retry = runner.factory.reduce(
                batch: 0, partition: 2, outputs: batch.mapOutputs, stateVersion: nil, watermarkMs: closing, attempt: 1)
            let outcome = try await cluster.driver.launch(retry, on: second).outcome
            guard case .failed(let message, let fetchFailure) = outcome else {
                Issue.record("expected a fetch failure, got \(outcome)")
                return
            }
            let lost = try #require(batch.mapOutputs.first { $0.mapPartition == 0 })
            #expect(
                fetchFailure
                    == ShuffleFetchFailure(
                        stage: 0, mapPartition: 0, mapAttemptId: lost.mapAttemptId, executorId: first))
            #expect(message.contains(first) && message.contains("map partition 0"), "\(message)")
        }
    }

    /// An output the executor itself should hold but does not (its batch was released) is a fetch
    /// failure naming the executor itself.
    @Test func releasedOutputIsAFetchFailure() async throws {
        let data = ClickData(count: 600, seed: 34)
        try await withCluster(executors: 1, data: data) { cluster, ids in
            let runner = try BatchRunner(driver: cluster.driver)
            let ranges = Dictionary(uniqueKeysWithValues: (0..<data.partitions).map { ($0, 0..<data.end($0)) })
            let batch = try await runner.map(batch: 4, ranges: ranges, watermarkMs: nil, mapOn: { _ in ids[0] })
            let node = try #require(cluster.node(ids[0]))
            #expect(node.runner.shuffle.outputCount == Int(data.partitions))
            let connection = try #require(cluster.driver.connection(of: ids[0]))
            try connection.send(
                ClusterMessageKind.releaseShuffle.rawValue, ReleaseShuffle(jobId: "pv_uv", batchId: 4).encoded())
            #expect(await eventually { node.runner.shuffle.outputCount == 0 })
            let task = runner.factory.reduce(
                batch: 4, partition: 0, outputs: batch.mapOutputs, stateVersion: nil, watermarkMs: nil)
            let outcome = try await cluster.driver.launch(task, on: ids[0]).outcome
            guard case .failed(_, let fetchFailure?) = outcome else {
                Issue.record("expected a fetch failure, got \(outcome)")
                return
            }
            #expect(fetchFailure.executorId == ids[0] && fetchFailure.mapPartition == 0)
        }
    }
}
