import Query
import Testing

@testable import Executor

/// Reduce state kept in memory between batches, restored from the driver when it is not.
@Suite struct StateRestoreTests {
    /// Batches 0 and 1 run on executor A, which then holds state version 1 in memory. Batch 2's
    /// reduce on A (from memory) and on a fresh executor B (restored through fetchState from the
    /// snapshot of 0 and the delta of 1) give the same rows and byte-identical deltas. A replay of
    /// batch 2 on A asks for version 1 again, reloads it, and writes the same delta bytes.
    @Test func restoredStateMatchesHeldStateAndReplaysAreIdentical() async throws {
        let data = ClickData(count: 4_500, seed: 44)
        try await withCluster(executors: 2, data: data) { cluster, ids in
            let (held, fresh) = (ids[0], ids[1])
            let runner = try BatchRunner(driver: cluster.driver)
            let thirds = { (part: Int64) in
                Dictionary(
                    uniqueKeysWithValues: (0..<data.partitions).map {
                        ($0, data.end($0) * part / 3..<data.end($0) * (part + 1) / 3)
                    })
            }
            var batch0 = try await runner.map(batch: 0, ranges: thirds(0), watermarkMs: nil, mapOn: { _ in held })
            try await runner.reduce(
                &batch0, batch: 0, stateVersion: nil, watermarkMs: nil, snapshotWanted: true, reduceOn: { _ in held })
            #expect(batch0.reduceReports.values.allSatisfy { $0.stateSnapshot != nil })
            let watermark = try #require(batch0.maxEventTimeMs) - 5_000
            var batch1 = try await runner.map(batch: 1, ranges: thirds(1), watermarkMs: watermark, mapOn: { _ in held })
            try await runner.reduce(&batch1, batch: 1, stateVersion: 0, watermarkMs: watermark, reduceOn: { _ in held })
            let heldNode = try #require(cluster.node(held))
            #expect(heldNode.runner.states.version(jobId: "pv_uv", partition: 0) == 1)
            let fetchesBefore = cluster.driver.stateFetches

            let watermark2 = try #require(batch1.maxEventTimeMs) - 5_000
            let batch2 = try await runner.map(
                batch: 2, ranges: thirds(2), watermarkMs: watermark2, mapOn: { _ in held })
            let reduce = { (partition: Int32) in
                runner.factory.reduce(
                    batch: 2, partition: partition, outputs: batch2.mapOutputs, stateVersion: 1, watermarkMs: watermark2
                )
            }
            for partition in 0..<runner.shufflePartitions {
                let fetches = cluster.driver.stateFetches
                let fromMemory = try await cluster.driver.launch(reduce(partition), on: held).outcome.reduceReport()
                #expect(cluster.driver.stateFetches == fetches, "the held state needs no fetch")
                let restored = try await cluster.driver.launch(reduce(partition), on: fresh).outcome.reduceReport()
                #expect(restored.rows == fromMemory.rows)
                #expect(restored.stateDelta == fromMemory.stateDelta)
                #expect(restored.stateRowsTotal == fromMemory.stateRowsTotal)
                let replay = try await cluster.driver.launch(reduce(partition), on: held).outcome.reduceReport()
                #expect(replay.stateDelta == fromMemory.stateDelta)
                #expect(replay.rows == fromMemory.rows)
            }
            let partitions = Int(runner.shufflePartitions)
            #expect(cluster.driver.stateFetches == fetchesBefore + 2 * partitions, "fresh restores and replays fetch")
        }
    }

    /// A state version the driver cannot reach fails the task with a message that says which.
    @Test func missingStateVersionFailsTheTask() async throws {
        let data = ClickData(count: 300, seed: 45)
        try await withCluster(executors: 1, data: data) { cluster, ids in
            let runner = try BatchRunner(driver: cluster.driver)
            let task = runner.factory.reduce(batch: 8, partition: 1, outputs: [], stateVersion: 7, watermarkMs: nil)
            let outcome = try await cluster.driver.launch(task, on: ids[0]).outcome
            guard case .failed(let message, nil) = outcome else {
                Issue.record("expected a failure, got \(outcome)")
                return
            }
            #expect(message.contains("version 7"), "\(message)")
        }
    }
}
