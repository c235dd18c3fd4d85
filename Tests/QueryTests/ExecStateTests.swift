import Testing

@testable import Query

@Suite struct ExecStateTests {
    /// Plans that exercise every kind of state change: tumbling windows with keys and every
    /// aggregate (evicted in update mode), and merging sessions.
    static func plans() -> [JobPlan] {
        let fields = AggregateFixture.fields
        let tumbling = TestPlan.aggregation(
            fields: fields, eventTime: 0, watermarkDelayMs: 3_000, window: .tumbling(sizeMs: 5_000),
            keys: [("k", AggregateFixture.col(1))],
            aggregates: AggregateFixture.aggregates + [
                ("apx", AggregateCall(.approxCountDistinct, AggregateFixture.col(4), resultType: .int64))
            ], outputMode: .update, partitions: 3)
        let sessions = TestPlan.aggregation(
            fields: fields, eventTime: 0, watermarkDelayMs: 4_000, window: .session(gapMs: 400),
            keys: [("k", AggregateFixture.col(1))],
            aggregates: [
                ("n", AggregateCall(.countStar, nil, resultType: .int64)),
                ("ds", AggregateCall(.countDistinct, AggregateFixture.col(4), resultType: .int64)),
                ("top", AggregateCall(.topK(2), AggregateFixture.col(4), resultType: .string)),
                ("mins", AggregateCall(.min, AggregateFixture.col(4), resultType: .string)),
            ], outputMode: .append, partitions: 2)
        return [tumbling, sessions]
    }

    /// Batches of rows whose times move forward, so windows open, change, close and get evicted.
    static func batches(_ count: Int, using random: inout SeededRandom) -> [[[[Value]]]] {
        (0..<count).map { batch in
            let rows = AggregateFixture.rows(Int.random(in: 0...120, using: &random), spanMs: 3_000, using: &random).map
            { row in
                guard case .timestamp(let ts) = row[0] else { return row }
                return [.timestamp(ts + Int64(batch) * 1_500)] + row.dropFirst()
            }
            let cut = Int.random(in: 0...rows.count, using: &random)
            return [Array(rows.prefix(cut)), Array(rows.dropFirst(cut))]
        }
    }

    @Test func snapshotsAndDeltasRestoreTheLiveStateExactly() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecStateTests.restore seed \(seed)")
        var random = SeededRandom(seed: seed)
        for plan in Self.plans() {
            var pipeline = try Pipeline(plan)
            var snapshots: [[[UInt8]]] = []  // per batch, per partition
            for batch in Self.batches(7, using: &random) {
                _ = try pipeline.run(batch)
                snapshots.append(pipeline.states.map { $0.snapshot() })
                let version = snapshots.count - 1
                for partition in 0..<plan.shufflePartitions {
                    let live = pipeline.states[partition]
                    let base = Int.random(in: 0...version, using: &random)
                    let fromSnapshot = try AggregationState(
                        plan: plan, partition: partition, snapshot: snapshots[base][partition],
                        deltas: Array(pipeline.deltas[partition][(base + 1)...]))
                    #expect(fromSnapshot.snapshot() == live.snapshot(), "seed \(seed) version \(version) from \(base)")
                    #expect(fromSnapshot.version == live.version && fromSnapshot.groupCount == live.groupCount)
                }
            }
            for partition in 0..<plan.shufflePartitions {
                let live = pipeline.states[partition]
                let fromDeltas = try AggregationState(
                    plan: plan, partition: partition, snapshot: nil, deltas: pipeline.deltas[partition])
                #expect(fromDeltas.snapshot() == live.snapshot(), "seed \(seed)")
                #expect(try fromDeltas.groupRows(plan: plan) == live.groupRows(plan: plan))
            }
        }
    }

    @Test func replayingABatchFromThePreviousVersionGivesTheSameOutputAndVersion() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecStateTests.replay seed \(seed)")
        var random = SeededRandom(seed: seed)
        for plan in Self.plans() {
            var pipeline = try Pipeline(plan)
            for batch in Self.batches(6, using: &random) {
                let before = pipeline.states.map { $0.snapshot() }
                let watermark = pipeline.watermarkMs
                let batchId = pipeline.batchId
                _ = try pipeline.run(batch)
                for partition in 0..<plan.shufflePartitions {
                    var restored = try AggregationState(
                        plan: plan, partition: partition, snapshot: before[partition], deltas: [])
                    let replay = try ReduceTask.run(
                        plan: plan, partition: partition, blocks: pipeline.lastBlocks[partition], state: &restored,
                        batchId: batchId, watermarkMs: watermark)
                    let original = pipeline.lastOutputs[partition]
                    #expect(replay.rows == original.rows, "seed \(seed) batch \(batchId)")
                    #expect(replay.stateDelta == original.stateDelta, "seed \(seed) batch \(batchId)")
                    #expect(
                        restored.snapshot() == pipeline.states[partition].snapshot(), "seed \(seed) batch \(batchId)")
                }
            }
        }
    }

    @Test func stateBeyondItsMemoryLimitIsATypedError() throws {
        let plan = Self.plans()[0]
        var random = SeededRandom(seed: 3)
        let rows = AggregateFixture.rows(500, using: &random)
        let (records, decoded) = makeRecords(rows, schema: plan.inputSchema)
        let blocks = try MapTask.run(plan: plan, records: records, decoded: decoded, watermarkMs: nil).shuffleBlocks
        var state = try AggregationState(plan: plan, partition: 0, stateBytesMax: 4_096)
        #expect(throws: StateError.self) {
            try ReduceTask.run(
                plan: plan, partition: 0, blocks: [blocks[0]], state: &state, batchId: 0, watermarkMs: nil)
        }
        do {
            _ = try ReduceTask.run(
                plan: plan, partition: 0, blocks: [blocks[0]], state: &state, batchId: 1, watermarkMs: nil)
        } catch StateError.memoryLimitExceeded(let partition, let bytes, let limitBytes) {
            #expect(partition == 0 && bytes > limitBytes && limitBytes == 4_096)
        }
    }

    @Test func batchesAndDeltasMustFollowTheVersion() throws {
        let plan = Self.plans()[1]
        var pipeline = try Pipeline(plan)
        var random = SeededRandom(seed: 4)
        for batch in Self.batches(3, using: &random) { _ = try pipeline.run(batch) }
        var state = pipeline.states[0]
        #expect(throws: StateError.staleBatch(batchId: 2, version: 2)) {
            try ReduceTask.run(plan: plan, partition: 0, blocks: [], state: &state, batchId: 2, watermarkMs: nil)
        }
        let deltas = pipeline.deltas[0]
        #expect(throws: StateError.versionGap(expectedPrevious: -1, found: 0)) {
            try AggregationState(plan: plan, partition: 0, snapshot: nil, deltas: [deltas[1]])
        }
        #expect(throws: StateError.versionGap(expectedPrevious: 1, found: 0)) {
            try AggregationState(plan: plan, partition: 0, snapshot: nil, deltas: [deltas[0], deltas[1], deltas[1]])
        }
        #expect(throws: StateError.wrongKind(expected: "delta")) {
            try AggregationState(plan: plan, partition: 0, snapshot: nil, deltas: [state.snapshot()])
        }
        #expect(throws: StateError.layoutMismatch) {
            try AggregationState(plan: Self.plans()[0], partition: 0, snapshot: state.snapshot(), deltas: [])
        }
        #expect(throws: StateError.wrongPartition(expected: 1, found: 0)) {
            try ReduceTask.run(plan: plan, partition: 1, blocks: [], state: &state, batchId: 9, watermarkMs: nil)
        }
    }

    @Test func truncatedOrGarbledStateBytesAreTypedErrors() throws {
        let plan = Self.plans()[1]
        var pipeline = try Pipeline(plan)
        var random = SeededRandom(seed: 8)
        let rows = AggregateFixture.rows(40, spanMs: 3_000, using: &random)
        _ = try pipeline.run([Array(rows.prefix(20))])
        _ = try pipeline.run([Array(rows.dropFirst(20))])
        let partition =
            pipeline.states.indices.max { pipeline.states[$0].groupCount < pipeline.states[$1].groupCount } ?? 0
        let snapshot = pipeline.states[partition].snapshot()
        let delta = pipeline.deltas[partition][1]
        let earlier = try AggregationState(
            plan: plan, partition: partition, snapshot: nil, deltas: [pipeline.deltas[partition][0]])
        for cut in 0..<snapshot.count {
            #expect(throws: StateError.self) {
                try AggregationState(
                    plan: plan, partition: partition, snapshot: Array(snapshot.prefix(cut)), deltas: [])
            }
        }
        for cut in 0..<delta.count {
            var state = earlier
            #expect(throws: StateError.self) { try state.applyDelta(Array(delta.prefix(cut))) }
        }
        for _ in 0..<300 {
            var garbled = Bool.random(using: &random) ? snapshot : delta
            for _ in 0...Int.random(in: 0...3, using: &random) {
                garbled[Int.random(in: 0..<garbled.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            var state = earlier
            // Either it still decodes or it is refused with a typed error; it never traps.
            do { try state.applyDelta(garbled) } catch is StateError {} catch { Issue.record("untyped error \(error)") }
            do {
                _ = try AggregationState(plan: plan, partition: partition, snapshot: garbled, deltas: [])
            } catch is StateError {
            } catch { Issue.record("untyped error \(error)") }
        }
    }
}
