import Testing

@testable import Query

@Suite struct ExecWatermarkTests {
    static let fields = [Field("ts", .timestamp), Field("user", .string), Field("status", .int64)]

    static func plan(_ mode: OutputMode) -> JobPlan {
        TestPlan.aggregation(
            fields: fields, eventTime: 0, watermarkDelayMs: 5_000,
            filter: .binary(.less, .column(index: 2, type: .int64), .literal(.int64(500), type: .int64), type: .bool),
            window: .tumbling(sizeMs: 10_000),
            aggregates: [
                ("pv", AggregateCall(.countStar, nil, resultType: .int64)),
                ("uv", AggregateCall(.countDistinct, .column(index: 1, type: .string), resultType: .int64)),
            ], outputMode: mode, partitions: 2)
    }

    static func row(_ ts: Int64, _ user: String, _ status: Int64 = 200) -> [Value] {
        [.timestamp(ts), .string(user), .int64(status)]
    }

    /// Six batches: the watermark each runs with is nil, 7 s, 13 s, 16 s, 16 s and 30 s.
    static let batches: [[[[Value]]]] = [
        [[row(1_000, "u1"), row(4_000, "u2")], [row(12_000, "u1")]],
        [
            [row(6_999, "u9"), row(5_000, "u9", 503), row(7_000, "u3")],
            [row(9_999, "u3", 404), row(18_000, "u2"), row(15_000, "u4", 503)],
        ],
        [[row(21_000, "u5")]],
        [],
        [[row(35_000, "u6")]],
        [],
    ]

    static func window(_ start: Int64, _ pv: Int64, _ uv: Int64) -> [Value] {
        [.timestamp(start), .timestamp(start + 10_000), .int64(pv), .int64(uv)]
    }

    @Test func appendEmitsEachWindowOnceAfterTheWatermarkPassesItsEnd() throws {
        var pipeline = try Pipeline(Self.plan(.append))
        var emitted: [[[Value]]] = []
        var watermarks: [Int64?] = []
        var evicted: [Int] = []
        for batch in Self.batches {
            watermarks.append(pipeline.watermarkMs)
            let result = try pipeline.run(batch)
            emitted.append(result.rows.sorted(by: rowOrder))
            evicted.append(result.stateMetrics.reduce(0) { $0 + $1.rowsEvicted })
        }
        #expect(watermarks == [nil, 7_000, 13_000, 16_000, 16_000, 30_000])
        #expect(
            emitted == [
                [], [], [Self.window(0, 4, 3)], [], [], [Self.window(10_000, 2, 2), Self.window(20_000, 1, 1)],
            ])
        #expect(evicted == [0, 0, 1, 0, 0, 2])
        #expect(try pipeline.groups() == [Self.window(30_000, 1, 1)])
    }

    @Test func lateRowsAreDroppedCountedAndDeadLettered() throws {
        var pipeline = try Pipeline(Self.plan(.append))
        _ = try pipeline.run(Self.batches[0])
        let result = try pipeline.run(Self.batches[1])
        // The late check comes before the filter, so the late 503 row is late, not filtered.
        #expect(
            result.deadLetters == [
                DeadLetter(
                    partition: 0, offset: 3, reason: .late(eventTimeMs: 6_999, watermarkMs: 7_000),
                    raw: Array("row-3".utf8)),
                DeadLetter(
                    partition: 0, offset: 4, reason: .late(eventTimeMs: 5_000, watermarkMs: 7_000),
                    raw: Array("row-4".utf8)),
            ])
        #expect(result.mapMetrics.map(\.lateRowsDropped) == [2, 0])
        #expect(result.mapMetrics.map(\.rowsAfterFilter) == [1, 2])
        #expect(result.mapMetrics.map(\.inputRows) == [3, 3])
        #expect(result.mapMetrics.map(\.minEventTimeMs) == [5_000, 9_999])
        #expect(result.mapMetrics.map(\.maxEventTimeMs) == [7_000, 18_000])
    }

    @Test func updateEmitsChangedGroupsAndEvictsSilently() throws {
        var pipeline = try Pipeline(Self.plan(.update))
        var emitted: [[[Value]]] = []
        var evicted: [Int] = []
        var updated: [Int] = []
        for batch in Self.batches {
            let result = try pipeline.run(batch)
            emitted.append(result.rows.sorted(by: rowOrder))
            evicted.append(result.stateMetrics.reduce(0) { $0 + $1.rowsEvicted })
            updated.append(result.stateMetrics.reduce(0) { $0 + $1.rowsUpdated })
        }
        #expect(
            emitted == [
                [Self.window(0, 2, 2), Self.window(10_000, 1, 1)], [Self.window(0, 4, 3), Self.window(10_000, 2, 2)],
                [Self.window(20_000, 1, 1)], [], [Self.window(30_000, 1, 1)], [],
            ])
        #expect(evicted == [0, 0, 1, 0, 0, 2])
        #expect(updated == [2, 2, 1, 0, 1, 0])
    }

    @Test func completeModeEmitsEveryGroupEveryBatchAndKeepsLateRows() throws {
        let plan = TestPlan.aggregation(
            fields: Self.fields, eventTime: 0, watermarkDelayMs: 5_000,
            keys: [("user", .column(index: 1, type: .string))],
            aggregates: [("n", AggregateCall(.countStar, nil, resultType: .int64))], outputMode: .complete,
            partitions: 2)
        var pipeline = try Pipeline(plan)
        let first = try pipeline.run([[Self.row(50_000, "a"), Self.row(1, "b")]])
        let second = try pipeline.run([[Self.row(2, "b")]])
        let third = try pipeline.run([])
        #expect(first.rows.sorted(by: rowOrder) == [[.string("a"), .int64(1)], [.string("b"), .int64(1)]])
        #expect(second.rows.sorted(by: rowOrder) == [[.string("a"), .int64(1)], [.string("b"), .int64(2)]])
        #expect(second.deadLetters.isEmpty)
        #expect(third.rows.sorted(by: rowOrder) == second.rows.sorted(by: rowOrder))
    }

    @Test func watermarkNeverMovesBackwards() {
        #expect(Watermark.next(previousMs: nil, batchMaxEventTimeMs: nil, delayMs: 5) == nil)
        #expect(Watermark.next(previousMs: nil, batchMaxEventTimeMs: 100, delayMs: 5) == 95)
        #expect(Watermark.next(previousMs: 95, batchMaxEventTimeMs: 50, delayMs: 5) == 95)
        #expect(Watermark.next(previousMs: 95, batchMaxEventTimeMs: nil, delayMs: 5) == 95)
        #expect(Watermark.next(previousMs: 95, batchMaxEventTimeMs: 200, delayMs: 5) == 195)
        #expect(Watermark.next(previousMs: nil, batchMaxEventTimeMs: Int64.min, delayMs: 5) == Int64.min)
    }

    @Test func noDataBatchesRunWhenTheWatermarkMovedForAStatefulWindowedJob() {
        let append = Self.plan(.append)
        #expect(Watermark.shouldRunNoDataBatch(plan: append, lastBatchWatermarkMs: 16_000, currentWatermarkMs: 30_000))
        #expect(Watermark.shouldRunNoDataBatch(plan: append, lastBatchWatermarkMs: nil, currentWatermarkMs: 1))
        #expect(!Watermark.shouldRunNoDataBatch(plan: append, lastBatchWatermarkMs: 16_000, currentWatermarkMs: 16_000))
        #expect(!Watermark.shouldRunNoDataBatch(plan: append, lastBatchWatermarkMs: nil, currentWatermarkMs: nil))
        #expect(
            !Watermark.shouldRunNoDataBatch(plan: Self.plan(.complete), lastBatchWatermarkMs: 0, currentWatermarkMs: 9))
        let stateless = TestPlan.stateless(fields: Self.fields, eventTime: 0, filter: nil, projections: [])
        #expect(!Watermark.shouldRunNoDataBatch(plan: stateless, lastBatchWatermarkMs: 0, currentWatermarkMs: 9))
    }
}
