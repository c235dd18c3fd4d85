import Testing

@testable import Query

@Suite struct ExecAggregateTests {
    /// Group key and aggregates of every expected group of `rows`, keyed by `k`.
    func expectedGroups(_ rows: [[Value]]) -> [[Value]] {
        Dictionary(grouping: rows) { $0[1] }.map { key, members in [key] + AggregateFixture.expected(members) }
            .sorted(by: rowOrder)
    }

    @Test func eachAggregateMatchesAPlainLoop() throws {
        var random = SeededRandom(seed: 11)
        let rows = AggregateFixture.rows(3000, using: &random)
        let plan = TestPlan.aggregation(
            fields: AggregateFixture.fields, keys: [("k", AggregateFixture.col(1))],
            aggregates: AggregateFixture.aggregates, partitions: 1)
        var pipeline = try Pipeline(plan)
        let result = try pipeline.run([rows])
        #expect(result.rows.sorted(by: rowOrder) == expectedGroups(rows))
        #expect(try pipeline.groups() == expectedGroups(rows))
    }

    @Test func partialsMergedAcrossTasksAndBatchesMatchOnePass() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecAggregateTests.partialsMerged seed \(seed)")
        var random = SeededRandom(seed: seed)
        let rows = AggregateFixture.rows(4000, using: &random)
        let plan = TestPlan.aggregation(
            fields: AggregateFixture.fields, eventTime: 0, window: .tumbling(sizeMs: 7_000),
            keys: [("k", AggregateFixture.col(1))], aggregates: AggregateFixture.aggregates, partitions: 3)
        var pipeline = try Pipeline(plan)
        var remaining = rows[...]
        var lastOutput: [[Value]] = []
        while !remaining.isEmpty {
            var tasks: [[[Value]]] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let take = min(remaining.count, Int.random(in: 0...700, using: &random))
                tasks.append(Array(remaining.prefix(take)))
                remaining = remaining.dropFirst(take)
            }
            lastOutput = try pipeline.run(tasks).rows
        }
        let expected = Dictionary(grouping: rows) { row -> [Value] in
            guard case .timestamp(let ts) = row[0] else { return [] }
            let start = ts / 7_000 * 7_000
            return [.timestamp(start), .timestamp(start + 7_000), row[1]]
        }.map { key, members in key + AggregateFixture.expected(members) }.sorted(by: rowOrder)
        #expect(try pipeline.groups() == expected, "seed \(seed)")
        #expect(lastOutput.sorted(by: rowOrder) == expected, "complete mode emits every group, seed \(seed)")
    }

    @Test func groupsOfOnlyNullsHaveNullSumsAndZeroCounts() throws {
        let rows: [[Value]] = [[.timestamp(1), .string("g"), .null, .null, .null, .null]]
        let plan = TestPlan.aggregation(
            fields: AggregateFixture.fields, keys: [("k", AggregateFixture.col(1))],
            aggregates: AggregateFixture.aggregates, partitions: 2)
        var pipeline = try Pipeline(plan)
        let result = try pipeline.run([rows])
        #expect(result.rows == [[.string("g")] + AggregateFixture.expected(rows)])
        #expect(
            result.rows.first?[1...] == [
                .int64(1), .int64(0), .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null,
                .timestamp(1), .int64(0), .int64(0), .int64(0), .int64(0), .string("[]"), .string("[]"),
            ])
    }

    @Test func bigintSumWrapsLikeSparkWithoutANSI() throws {
        let fields = [Field("n", .int64)]
        let plan = TestPlan.aggregation(
            fields: fields,
            aggregates: [("s", AggregateCall(.sum, .column(index: 0, type: .int64), resultType: .int64))],
            partitions: 1)
        var pipeline = try Pipeline(plan)
        let result = try pipeline.run([[[.int64(Int64.max)], [.int64(2)]], [[.int64(1)]]])
        #expect(result.rows == [[.int64(Int64.min &+ 2)]])
    }

    @Test func topKBreaksTiesByValueAndEscapesJSON() throws {
        let fields = [Field("s", .string), Field("t", .timestamp)]
        let plan = TestPlan.aggregation(
            fields: fields,
            aggregates: [
                ("top", AggregateCall(.topK(3), .column(index: 0, type: .string), resultType: .string)),
                ("tt", AggregateCall(.topK(1), .column(index: 1, type: .timestamp), resultType: .string)),
            ], partitions: 2)
        var pipeline = try Pipeline(plan)
        let values = ["b", "a\"q", "b", "a\"q", "c\n", "z", "z", "\\"]
        let rows = values.enumerated().map { [Value.string($1), .timestamp(Int64($0 % 2) * 1000)] }
        let result = try pipeline.run([Array(rows.prefix(3)), Array(rows.dropFirst(3))])
        #expect(
            result.rows == [
                [
                    .string(#"[{"value":"a\"q","count":2},{"value":"b","count":2},{"value":"z","count":2}]"#),
                    .string(#"[{"value":"1970-01-01T00:00:00.000Z","count":4}]"#),
                ]
            ])
    }

    @Test func approxCountDistinctStaysNearTheExactCount() throws {
        var random = SeededRandom(seed: 5)
        let rows = AggregateFixture.rows(5000, using: &random)
        let plan = TestPlan.aggregation(
            fields: AggregateFixture.fields,
            aggregates: [
                ("a", AggregateCall(.approxCountDistinct, AggregateFixture.col(4), resultType: .int64)),
                ("an", AggregateCall(.approxCountDistinct, AggregateFixture.col(2), resultType: .int64)),
            ], partitions: 2)
        var pipeline = try Pipeline(plan)
        let result = try pipeline.run([Array(rows.prefix(2000)), Array(rows.dropFirst(2000))])
        let exactStrings = Double(Set(rows.map { $0[4] }.filter { !$0.isNull }).count)
        let exactInts = Double(Set(rows.map { $0[2] }.filter { !$0.isNull }).count)
        guard case .int64(let strings)? = result.rows.first?[0], case .int64(let ints)? = result.rows.first?[1] else {
            Issue.record("no approximate counts in \(result.rows)")
            return
        }
        #expect(abs(Double(strings) - exactStrings) <= 0.02 * exactStrings)
        #expect(abs(Double(ints) - exactInts) <= 0.02 * exactInts)
    }
}
