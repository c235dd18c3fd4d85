import Testing

@testable import Query

@Suite struct ExecWindowTests {
    @Test func tumblingWindowsAlignToTheEpochIncludingNegativeTimes() {
        let cases: [(Int64, (Int64, Int64)?)] = [
            (0, (0, 10_000)), (9_999, (0, 10_000)), (10_000, (10_000, 20_000)), (-1, (-10_000, 0)),
            (-10_000, (-10_000, 0)), (-10_001, (-20_000, -10_000)), (Int64.max, nil), (Int64.min, nil),
        ]
        for (time, expected) in cases {
            let window = WindowAssigner.tumbling(time, sizeMs: 10_000)
            #expect(window?.start == expected?.0 && window?.end == expected?.1, "\(time)")
        }
    }

    /// Every window [k·slide, k·slide + size) that holds `time`, by brute force.
    func slidingReference(_ time: Int64, size: Int64, slide: Int64) -> [Int64] {
        let low = (time - size) / slide - 2
        let high = time / slide + 2
        return (low...high).map { $0 * slide }.filter { $0 <= time && time < $0 + size }.sorted(by: >)
    }

    @Test func slidingWindowsHoldEveryRowSizeOverSlideTimes() {
        for (size, slide) in [(10, 5), (10, 3), (10, 10), (7, 2)] as [(Int64, Int64)] {
            for time in Int64(-25)...25 {
                var starts: [Int64] = []
                WindowAssigner.sliding(time, sizeMs: size, slideMs: slide) { start, end in
                    #expect(end == start + size)
                    starts.append(start)
                }
                #expect(
                    starts == slidingReference(time, size: size, slide: slide), "t \(time) size \(size) slide \(slide)")
            }
        }
    }

    let fields = [Field("ts", .timestamp), Field("user", .string), Field("page", .string)]

    func sessionPlan(gap: Int64, mode: OutputMode = .complete, delay: Int64? = nil) -> JobPlan {
        TestPlan.aggregation(
            fields: fields, eventTime: 0, watermarkDelayMs: delay, window: .session(gapMs: gap),
            keys: [("user", .column(index: 1, type: .string))],
            aggregates: [
                ("n", AggregateCall(.countStar, nil, resultType: .int64)),
                ("pages", AggregateCall(.countDistinct, .column(index: 2, type: .string), resultType: .int64)),
            ], outputMode: mode, partitions: 2)
    }

    func row(_ ts: Int64, _ user: String, _ page: String = "/") -> [Value] {
        [.timestamp(ts), .string(user), .string(page)]
    }

    @Test func sessionsSplitAtTheGapWithinOneTask() throws {
        var pipeline = try Pipeline(sessionPlan(gap: 5))
        _ = try pipeline.run([[row(0, "u"), row(3, "u", "/b"), row(9, "u"), row(20, "u"), row(25, "u"), row(1, "v")]])
        #expect(
            try pipeline.groups() == [
                [.timestamp(0), .timestamp(8), .string("u"), .int64(2), .int64(2)],
                [.timestamp(1), .timestamp(6), .string("v"), .int64(1), .int64(1)],
                [.timestamp(9), .timestamp(14), .string("u"), .int64(1), .int64(1)],
                [.timestamp(20), .timestamp(25), .string("u"), .int64(1), .int64(1)],
                [.timestamp(25), .timestamp(30), .string("u"), .int64(1), .int64(1)],
            ])
    }

    @Test func sessionsMergeAcrossMapTasksAtTheReducer() throws {
        var pipeline = try Pipeline(sessionPlan(gap: 6))
        _ = try pipeline.run([[row(0, "u", "/a"), row(10, "u", "/b")], [row(5, "u", "/a")]])
        #expect(try pipeline.groups() == [[.timestamp(0), .timestamp(16), .string("u"), .int64(3), .int64(2)]])
    }

    @Test func aLateArrivingRowBridgesTwoSessionsFromEarlierBatches() throws {
        var pipeline = try Pipeline(sessionPlan(gap: 6))
        _ = try pipeline.run([[row(0, "u", "/a"), row(10, "u", "/b")]])
        #expect(try pipeline.groups().count == 2)
        let second = try pipeline.run([[row(5, "u", "/c")]])
        #expect(try pipeline.groups() == [[.timestamp(0), .timestamp(16), .string("u"), .int64(3), .int64(3)]])
        #expect(second.rows == [[.timestamp(0), .timestamp(16), .string("u"), .int64(3), .int64(3)]])
    }

    /// Sessions of each user from all of its times at once, by a plain sweep.
    func sessionReference(_ rows: [[Value]], gap: Int64) -> [[Value]] {
        var out: [[Value]] = []
        for (user, members) in Dictionary(grouping: rows, by: { $0[1] }) {
            let sorted = members.sorted { valueOrder($0[0], $1[0]) }
            var current: (start: Int64, end: Int64, rows: [[Value]])? = nil
            func flush() {
                guard let current else { return }
                let pages = Set(current.rows.map { $0[2] }).count
                out.append([
                    .timestamp(current.start), .timestamp(current.end), user, .int64(Int64(current.rows.count)),
                    .int64(Int64(pages)),
                ])
            }
            for member in sorted {
                guard case .timestamp(let ts) = member[0] else { continue }
                if let open = current, ts < open.end {
                    current = (open.start, max(open.end, ts + gap), open.rows + [member])
                } else {
                    flush()
                    current = (ts, ts + gap, [member])
                }
            }
            flush()
        }
        return out.sorted(by: rowOrder)
    }

    @Test func randomSessionsSplitAcrossTasksAndBatchesMatchAOnePassSweep() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecWindowTests.randomSessions seed \(seed)")
        var random = SeededRandom(seed: seed)
        let users = ["a", "b", "c", "dd"]
        let rows = (0..<600).map { _ in
            row(
                Int64.random(in: -500...2_000, using: &random), users.randomElement(using: &random)!,
                "/\(Int.random(in: 0..<9, using: &random))")
        }
        var pipeline = try Pipeline(sessionPlan(gap: 40))
        var remaining = rows[...]
        while !remaining.isEmpty {
            var tasks: [[[Value]]] = []
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let take = min(remaining.count, Int.random(in: 0...90, using: &random))
                tasks.append(Array(remaining.prefix(take)))
                remaining = remaining.dropFirst(take)
            }
            _ = try pipeline.run(tasks)
        }
        #expect(try pipeline.groups() == sessionReference(rows, gap: 40), "seed \(seed)")
    }

    @Test func slidingWindowAggregatesCountARowInEachOfItsWindows() throws {
        let plan = TestPlan.aggregation(
            fields: fields, eventTime: 0, window: .sliding(sizeMs: 10, slideMs: 5),
            aggregates: [("n", AggregateCall(.countStar, nil, resultType: .int64))], partitions: 2)
        var pipeline = try Pipeline(plan)
        _ = try pipeline.run([[row(7, "u"), row(-3, "u")], [row(12, "v")]])
        #expect(
            try pipeline.groups() == [
                [.timestamp(-10), .timestamp(0), .int64(1)], [.timestamp(-5), .timestamp(5), .int64(1)],
                [.timestamp(0), .timestamp(10), .int64(1)], [.timestamp(5), .timestamp(15), .int64(2)],
                [.timestamp(10), .timestamp(20), .int64(1)],
            ])
    }
}
