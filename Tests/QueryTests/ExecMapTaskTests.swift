import Testing

@testable import Query

@Suite struct ExecMapTaskTests {
    static let fields = [
        Field("ts", .timestamp), Field("url", .string), Field("status", .int64), Field("bytes", .int64),
    ]

    static func plan() -> JobPlan {
        TestPlan.stateless(
            fields: fields, eventTime: 0,
            filter: .binary(
                .greaterOrEqual, .column(index: 2, type: .int64), .literal(.int64(400), type: .int64), type: .bool),
            projections: [
                NamedExpr("ts", .column(index: 0, type: .timestamp)),
                NamedExpr("path", .function(.lower, [.column(index: 1, type: .string)], type: .string)),
                NamedExpr(
                    "kb",
                    .binary(
                        .divide, .column(index: 3, type: .int64), .literal(.int64(1024), type: .int64), type: .double)),
            ])
    }

    @Test func statelessJobsFilterAndProjectStraightToRows() throws {
        let rows: [[Value]] = [
            [.timestamp(30), .string("/A"), .int64(200), .int64(2048)],
            [.timestamp(10), .string("/B"), .int64(404), .int64(512)],
            [.timestamp(20), .string("/C"), .null, .int64(1)],
            [.timestamp(40), .string("/D"), .int64(503), .null],
        ]
        var (records, decoded) = makeRecords(rows, schema: Self.plan().inputSchema, partition: 3, firstOffset: 100)
        let malformed = DeadLetter(
            partition: 3, offset: 104, reason: .malformed("not JSON at byte 0"), raw: Array("{".utf8))
        decoded = DecodedRecords(batch: decoded.batch, recordIndexes: decoded.recordIndexes, deadLetters: [malformed])
        // A watermark does not drop rows of a stateless job.
        let output = try MapTask.run(plan: Self.plan(), records: records, decoded: decoded, watermarkMs: 35)
        #expect(output.shuffleBlocks.isEmpty)
        #expect(output.rows?.schema == Self.plan().outputSchema)
        #expect(
            output.rows?.rows == [
                [.timestamp(10), .string("/b"), .double(0.5)], [.timestamp(40), .string("/d"), .null],
            ])
        #expect(output.deadLetters == [malformed])
        #expect(
            output.metrics
                == MapTaskMetrics(
                    inputRecords: 4, inputRows: 4, rowsAfterFilter: 2, lateRowsDropped: 0, minEventTimeMs: 10,
                    maxEventTimeMs: 40))
    }

    @Test func aBatchThatDoesNotFitThePlanIsATypedError() throws {
        let wrong = makeRecords([[.string("x")]], schema: Schema([Field("ts", .string)]))
        #expect(throws: PlanShapeError.self) {
            try MapTask.run(plan: Self.plan(), records: wrong.0, decoded: wrong.1, watermarkMs: nil)
        }
        let unwindowedAppend = TestPlan.aggregation(
            fields: Self.fields, aggregates: [("n", AggregateCall(.countStar, nil, resultType: .int64))],
            outputMode: .append)
        let rows = makeRecords(
            [[.timestamp(1), .string("/"), .int64(200), .int64(1)]], schema: unwindowedAppend.inputSchema)
        #expect(throws: PlanShapeError.self) {
            try MapTask.run(plan: unwindowedAppend, records: rows.0, decoded: rows.1, watermarkMs: nil)
        }
        #expect(throws: PlanShapeError.self) { try AggregationState(plan: Self.plan(), partition: 0) }
    }

    @Test func havingAndOutputExpressionsRunOverGroupRows() throws {
        let plan = TestPlan.aggregation(
            fields: Self.fields, keys: [("status", .column(index: 2, type: .int64))],
            aggregates: [("n", AggregateCall(.countStar, nil, resultType: .int64))],
            having: .binary(.greater, .column(index: 1, type: .int64), .literal(.int64(1), type: .int64), type: .bool),
            output: [
                NamedExpr(
                    "label",
                    .binary(
                        .concat, .literal(.string("s"), type: .string), .column(index: 0, type: .int64), type: .string)),
                NamedExpr(
                    "twice",
                    .binary(.multiply, .column(index: 1, type: .int64), .literal(.int64(2), type: .int64), type: .int64)
                ),
            ], outputMode: .complete, partitions: 1)
        var pipeline = try Pipeline(plan)
        let row = { (status: Value) -> [Value] in [.timestamp(0), .string("/"), status, .int64(0)] }
        let result = try pipeline.run([[row(.int64(200)), row(.int64(200)), row(.int64(404)), row(.null), row(.null)]])
        #expect(result.rows.sorted(by: rowOrder) == [[.null, .int64(4)], [.string("s200"), .int64(4)]])
    }

    @Test func bulkColumnsDropAnAllFalseNullMask() {
        let column = Column(.int64, count: 2, nulls: [false, false], int64s: [1, 2])
        #expect(!column.hasNulls && column == Column(.int64, values: [.int64(1), .int64(2)]))
        let gathered = Column(.string, values: [.string("a"), .null, .string("ccc")]).gathering([2, 1, 2])
        #expect(boxed(gathered) == [.string("ccc"), .null, .string("ccc")])
    }

    @Test func syntheticClicksFitThePvUvPlanAndCountAsAPlainLoopDoes() throws {
        let plan = ExecBenchmark.pvUvPlan(shufflePartitions: 2)
        let (records, decoded) = ExecBenchmark.syntheticRecords(rows: 5_000, users: 300, ips: 100, seed: 3)
        #expect(decoded.batch.schema.fields.map(\.type) == plan.inputSchema.fields.map(\.type))
        var state = [try AggregationState(plan: plan, partition: 0), try AggregationState(plan: plan, partition: 1)]
        let mapped = try MapTask.run(plan: plan, records: records, decoded: decoded, watermarkMs: nil)
        var rows: [[Value]] = []
        for partition in 0..<2 {
            _ = try ReduceTask.run(
                plan: plan, partition: partition, blocks: [mapped.shuffleBlocks[partition]], state: &state[partition],
                batchId: 0, watermarkMs: nil)
            rows += try state[partition].groupRows(plan: plan).rows
        }
        var expected: [Int64: (pv: Int64, users: Set<Value>, ips: Set<Value>)] = [:]
        for row in decoded.batch.rows {
            guard case .timestamp(let ts) = row[0], case .int64(let status) = row[3], status < 500 else { continue }
            let start = ts - ((ts % 10_000) + 10_000) % 10_000
            expected[start, default: (0, [], [])].pv += 1
            expected[start]?.users.insert(row[2])
            expected[start]?.ips.insert(row[1])
        }
        let reference = expected.map { start, window in
            [
                Value.timestamp(start), .timestamp(start + 10_000), .int64(window.pv),
                .int64(Int64(window.users.count)),
                .int64(Int64(window.ips.count)),
            ]
        }
        #expect(rows.sorted(by: rowOrder) == reference.sorted(by: rowOrder))
    }

    @Test func theBenchmarkRunsThePvUvJobEndToEnd() throws {
        var tick: UInt64 = 0
        let result = try ExecBenchmark.run(rows: 9_000, batchRows: 3_000) {
            tick += 1_000
            return tick
        }
        #expect(result.rows == 9_000 && result.batches == 3 && result.shuffleBytes > 0)
        #expect(result.mapSeconds > 0 && result.reduceSeconds > 0)
    }

    @Test func theClickBenchmarkMapsEveryWellFormedClick() throws {
        var generator = ClickGenerator(seed: 2026)
        var wellFormed = 0
        var value: [UInt8] = []
        for _ in 0..<20_000 where generator.append(to: &value).defect == nil { wellFormed += 1 }
        var tick: UInt64 = 0
        let result = try ExecBenchmark.runClicks(events: 20_000, batchRows: 5_000, mapTasks: 2) {
            tick += 1_000
            return tick
        }
        #expect(result.rows == wellFormed && result.batches == 4 && result.shuffleBytes > 0)
        // 20,000 clicks at 10,000 a second span two seconds: their window closes only later.
        #expect(result.outputRows == 0)
    }
}
