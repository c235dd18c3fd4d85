import Testing

@testable import Query

/// The reduce side merges shuffle blocks straight from their bytes (`ShuffleBlock.check`, then
/// `GroupStore.merge(_:)`); these hold it to the path it replaced: decode into a store, then merge.
@Suite struct ExecMergeBlockTests {
    /// Every plan of the state tests, with each map task's blocks for a few batches of rows.
    static func blocksPerBatch(_ plan: JobPlan, batches: Int, using random: inout SeededRandom) throws
        -> [[[UInt8]]]
    {
        try ExecStateTests.batches(batches, using: &random).map { batch in
            var blocks: [[UInt8]] = []
            for rows in batch {
                let (records, decoded) = makeRecords(rows, schema: plan.inputSchema)
                blocks += try MapTask.run(plan: plan, records: records, decoded: decoded, watermarkMs: nil)
                    .shuffleBlocks
            }
            return blocks
        }
    }

    @Test func mergingCheckedBlocksEqualsMergingDecodedStores() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecMergeBlockTests.merge seed \(seed)")
        var random = SeededRandom(seed: seed)
        for plan in ExecStateTests.plans() {
            let layout = try GroupLayout(plan.aggregation())
            let partitions = plan.shufflePartitions
            var direct = try (0..<partitions).map { try AggregationState(plan: plan, partition: $0) }
            var decoded = direct
            for (batch, blocks) in try Self.blocksPerBatch(plan, batches: 5, using: &random).enumerated() {
                for (index, block) in blocks.enumerated() {
                    let partition = index % partitions
                    let checked = try ShuffleBlock.check(
                        block, layout: layout, partition: partition, partitions: partitions)
                    try direct[partition].store.merge(checked)
                    let store = try ShuffleBlock.decode(
                        block, layout: layout, partition: partition, partitions: partitions)
                    decoded[partition].store.merge(store, overwrite: false)
                }
                for partition in 0..<partitions {
                    let version = Int64(batch)
                    let one = direct[partition].encodeDelta(version: version, previous: version - 1)
                    let other = decoded[partition].encodeDelta(version: version, previous: version - 1)
                    #expect(one == other, "seed \(seed) batch \(batch) partition \(partition)")
                    direct[partition].store.finishBatch()
                    decoded[partition].store.finishBatch()
                    direct[partition].version = version
                    decoded[partition].version = version
                    #expect(direct[partition].snapshot() == decoded[partition].snapshot(), "seed \(seed)")
                }
            }
        }
    }

    /// The smallest index a table of `entries` values may have: the fewest cells, 16 at least,
    /// that hold one more value at three quarters full (`compacted` leaves room for one more).
    static func smallestIndex(entries: Int) -> Int {
        var cells = 16
        while (entries + 1) * 4 > cells * 3 { cells *= 2 }
        return cells
    }

    /// Merging reserves room for a block's values up front, but only as many as the merged table
    /// is sure to hold: a block repeating values the table has must not grow its index.
    @Test func mergingNeverSizesTheIndexBeyondTheMergedValues() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecMergeBlockTests.reserve seed \(seed)")
        var random = SeededRandom(seed: seed)
        // Session merges fold a session's values into another, so only windows that never merge.
        let plan = ExecStateTests.plans()[0]
        let layout = try GroupLayout(plan.aggregation())
        let partitions = plan.shufflePartitions
        var direct = try (0..<partitions).map { try AggregationState(plan: plan, partition: $0) }
        var decoded = direct
        for (batch, blocks) in try Self.blocksPerBatch(plan, batches: 6, using: &random).enumerated() {
            for (index, block) in blocks.enumerated() {
                let partition = index % partitions
                // Every block twice: the second adds no values, so it must leave the index alone.
                for _ in 0..<2 {
                    try direct[partition].store.merge(
                        ShuffleBlock.check(block, layout: layout, partition: partition, partitions: partitions))
                    decoded[partition].store.merge(
                        try ShuffleBlock.decode(block, layout: layout, partition: partition, partitions: partitions),
                        overwrite: false)
                    for store in [direct[partition].store, decoded[partition].store] {
                        for accumulator in store.accumulators where accumulator.values.indexed {
                            let values = accumulator.values
                            let bound = Self.smallestIndex(entries: values.entries.count)
                            #expect(values.index.count <= bound, "seed \(seed) batch \(batch)")
                        }
                    }
                }
            }
            for partition in 0..<partitions {
                direct[partition].store.finishBatch()
                decoded[partition].store.finishBatch()
            }
        }
    }

    /// A map task's block into an empty state: the index is the smallest that holds its values, so
    /// the reservation made for them is no larger than they are.
    @Test func aBlockIntoAnEmptyStateGetsTheSmallestIndexThatHoldsIt() throws {
        let plan = ExecBenchmark.pvUvPlan(shufflePartitions: 1)
        let layout = try GroupLayout(plan.aggregation())
        let (records, decoded) = ExecBenchmark.syntheticRecords(rows: 5_000, users: 3_000, ips: 1_000, seed: 5)
        let block = try MapTask.run(plan: plan, records: records, decoded: decoded, watermarkMs: nil).shuffleBlocks[0]
        let checked = try ShuffleBlock.check(block, layout: layout, partition: 0, partitions: 1)
        var state = try AggregationState(plan: plan, partition: 0)
        try state.store.merge(checked)
        for (index, accumulator) in state.store.accumulators.enumerated() where checked.valueCounts[index] > 0 {
            // Every value of a map task's block is distinct within its group, so all are new here.
            #expect(accumulator.values.entries.count == checked.valueCounts[index])
            var cells = 16
            while checked.valueCounts[index] * 4 > cells * 3 { cells *= 2 }
            #expect(accumulator.values.index.count == cells)
        }
    }

    @Test func checkRefusesExactlyWhatDecodeRefuses() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecMergeBlockTests.check seed \(seed)")
        var random = SeededRandom(seed: seed)
        let plan = ExecShuffleTests.plan
        let layout = try ExecShuffleTests.layout()
        let blocks = try ExecShuffleTests.blocks(rows: 40, seed: random.next())
        for round in 0..<500 {
            let partition = round % 2
            var bytes = blocks[partition]
            if round % 4 == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            } else if !bytes.isEmpty {
                for _ in 0...Int.random(in: 0...3, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            let checked = Result { () throws(ShuffleBlockError) in
                try ShuffleBlock.check(bytes, layout: layout, partition: partition, partitions: 2)
            }
            let decoded = Result { () throws(ShuffleBlockError) in
                try ShuffleBlock.decode(bytes, layout: layout, partition: partition, partitions: 2)
            }
            switch (checked, decoded) {
            case (.success(let block), .success(let store)):
                #expect(block.groupCount == store.slotCount, "seed \(seed) round \(round)")
                #expect(block.valueCounts == store.accumulators.map(\.values.entries.count), "seed \(seed)")
                // What passed the check merges, as the decoded store does.
                var one = try AggregationState(plan: plan, partition: partition)
                var other = one
                try one.store.merge(block)
                other.store.merge(store, overwrite: false)
                #expect(one.snapshot() == other.snapshot(), "seed \(seed) round \(round)")
            case (.failure(let one), .failure(let other)):
                #expect(one == other, "seed \(seed) round \(round)")
            default:
                Issue.record("check and decode disagree on round \(round), seed \(seed)")
            }
        }
    }

    @Test func aHostileBlockAfterGoodOnesLeavesTheStateAsItWas() throws {
        let blocks = try ExecShuffleTests.blocks(rows: 60, seed: 9)
        var state = try AggregationState(plan: ExecShuffleTests.plan, partition: 0)
        let before = state.snapshot()
        var bad = blocks[0]
        bad[0] = ShuffleBlock.formatVersion &+ 1
        #expect(throws: ShuffleBlockError.unsupportedVersion(ShuffleBlock.formatVersion &+ 1)) {
            try ReduceTask.run(
                plan: ExecShuffleTests.plan, partition: 0, blocks: [blocks[0], blocks[0], bad], state: &state,
                batchId: 0, watermarkMs: nil)
        }
        #expect(state.snapshot() == before && state.version == -1)
    }
}
