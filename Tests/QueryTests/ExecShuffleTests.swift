import Testing

@testable import Query

@Suite struct ExecShuffleTests {
    static let plan = TestPlan.aggregation(
        fields: AggregateFixture.fields, eventTime: 0, window: .tumbling(sizeMs: 1_000),
        keys: [("k", AggregateFixture.col(1))],
        aggregates: AggregateFixture.aggregates + [
            ("apx", AggregateCall(.approxCountDistinct, AggregateFixture.col(2), resultType: .int64))
        ], outputMode: .complete, partitions: 2)

    /// The map output of a few rows: one block per partition.
    static func blocks(rows: Int, seed: UInt64) throws -> [[UInt8]] {
        var random = SeededRandom(seed: seed)
        let (records, decoded) = makeRecords(
            AggregateFixture.rows(rows, spanMs: 2_500, using: &random), schema: plan.inputSchema)
        return try MapTask.run(plan: plan, records: records, decoded: decoded, watermarkMs: nil).shuffleBlocks
    }

    static func layout() throws -> GroupLayout { try GroupLayout(plan.aggregation()) }

    @Test func blocksDecodeToTheGroupsThatWereEncoded() throws {
        let blocks = try Self.blocks(rows: 400, seed: 1)
        var stored = 0
        for (partition, block) in blocks.enumerated() {
            let decoded = try ShuffleBlock.decode(block, layout: Self.layout(), partition: partition, partitions: 2)
            stored += decoded.slotCount
            #expect(block.first == ShuffleBlock.formatVersion)
            // Encoding what was decoded gives the same bytes back.
            #expect(ShuffleBlock.encode(decoded, partitions: 2)[partition] == block)
        }
        #expect(stored > 0)
    }

    @Test func everyTruncationIsATypedError() throws {
        let blocks = try Self.blocks(rows: 12, seed: 2)
        let block = blocks[0].count > blocks[1].count ? blocks[0] : blocks[1]
        let partition = block == blocks[0] ? 0 : 1
        for cut in 0..<block.count {
            #expect(throws: ShuffleBlockError.self) {
                try ShuffleBlock.decode(
                    Array(block.prefix(cut)), layout: Self.layout(), partition: partition, partitions: 2)
            }
        }
    }

    @Test func randomAndMutatedBytesNeverTrap() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecShuffleTests seed \(seed)")
        var random = SeededRandom(seed: seed)
        let block = try Self.blocks(rows: 30, seed: 3)[0]
        let layout = try Self.layout()
        for round in 0..<1_500 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int.random(in: 0...80, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
                if round % 2 == 0 && !bytes.isEmpty { bytes[0] = ShuffleBlock.formatVersion }
            } else {
                bytes = block
                for _ in 0...Int.random(in: 0...4, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            // The decoder throws only ShuffleBlockError (typed throws); what matters here is that it returns.
            _ = try? ShuffleBlock.decode(bytes, layout: layout, partition: 0, partitions: 2)
        }
    }

    @Test func foreignBlocksAreRefusedByName() throws {
        let blocks = try Self.blocks(rows: 50, seed: 4)
        let layout = try Self.layout()
        #expect(throws: ShuffleBlockError.wrongPartition(expected: 1, found: 0, partitions: 2)) {
            try ShuffleBlock.decode(blocks[0], layout: layout, partition: 1, partitions: 2)
        }
        var newer = blocks[0]
        newer[0] = 9
        #expect(throws: ShuffleBlockError.unsupportedVersion(9)) {
            try ShuffleBlock.decode(newer, layout: layout, partition: 0, partitions: 2)
        }
        let other = TestPlan.aggregation(
            fields: AggregateFixture.fields, aggregates: [("n", AggregateCall(.countStar, nil, resultType: .int64))])
        #expect(throws: ShuffleBlockError.layoutMismatch) {
            try ShuffleBlock.decode(blocks[0], layout: GroupLayout(other.aggregation()), partition: 0, partitions: 2)
        }
        #expect(throws: ShuffleBlockError.malformed(.truncated(needed: 1, available: 0, at: 0))) {
            try ShuffleBlock.decode([], layout: layout, partition: 0, partitions: 2)
        }
    }

    @Test func aHostileBlockLeavesTheStateAsItWas() throws {
        var pipeline = try Pipeline(Self.plan)
        var random = SeededRandom(seed: 6)
        _ = try pipeline.run([AggregateFixture.rows(100, spanMs: 2_500, using: &random)])
        var state = pipeline.states[0]
        let before = state.snapshot()
        let good = try Self.blocks(rows: 60, seed: 7)[0]
        #expect(throws: ShuffleBlockError.self) {
            try ReduceTask.run(
                plan: Self.plan, partition: 0, blocks: [good, Array(good.dropLast())], state: &state, batchId: 5,
                watermarkMs: nil)
        }
        #expect(state.snapshot() == before && state.version == 0)
    }

    /// The hash spelled out byte by byte, independent of word loads and host byte order.
    func referenceHash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        func rotate(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
        let p1: UInt64 = 0x9E37_79B1_85EB_CA87
        let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var state = seed &+ 0x1656_67B1_9E37_79F9 &+ UInt64(bytes.count) &* p1
        var words: [UInt64] = []
        for start in stride(from: 0, to: bytes.count, by: 8) {
            var word: UInt64 = 0
            for (shift, byte) in bytes[start..<min(start + 8, bytes.count)].enumerated() {
                word |= UInt64(byte) << UInt64(8 * shift)
            }
            words.append(word)
        }
        for word in words { state = rotate(state ^ rotate(word &* p2, 31) &* p1, 27) &* p1 &+ 0x85EB_CA77_C2B2_AE63 }
        state ^= state >> 33
        state &*= 0xFF51_AFD7_ED55_8CCD
        state ^= state >> 33
        state &*= 0xC4CE_B9FE_1A85_EC53
        return state ^ (state >> 33)
    }

    @Test func partitionsComeFromAStableHash() {
        // Every process must send a group to the same partition, so the hash may depend on the
        // bytes alone: the word-at-a-time code must equal the byte-by-byte definition.
        var random = SeededRandom(seed: 12)
        for length in 0..<40 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let seed = random.next()
            #expect(StableHash.hash(bytes, seed: seed) == referenceHash(bytes, seed: seed), "length \(length)")
        }
        #expect(StableHash.hash(Array("a".utf8)) != StableHash.hash(Array("a\u{0}".utf8)))
    }
}
