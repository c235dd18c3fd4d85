extension ExecBenchmark {
    /// Runs the pv_uv job's map and reduce tasks over `ClickGenerator`'s clicks (its default
    /// options: 20,000 Zipf-skewed users that mostly keep one IP, 10,000 events/s of event time,
    /// up to 3 s of lag), decoded straight from each event's truth, as `spate bench query` runs
    /// them: each batch is `batchRows` events dealt round-robin to `mapTasks` map tasks, then one
    /// reduce task per partition over every map task's block. Malformed events are skipped. Every
    /// emitted window is checked against counts kept with plain sets, outside the timed code.
    public static func runClicks(
        events: Int, batchRows: Int = 250_000, mapTasks: Int = 2, seed: UInt64 = 2026, nowNs: () -> UInt64
    ) throws -> Result {
        let plan = pvUvPlan()
        let tasks = max(1, mapTasks)
        var states = try (0..<plan.shufflePartitions).map { try AggregationState(plan: plan, partition: $0) }
        var result = Result(rows: 0, batches: 0, mapSeconds: 0, reduceSeconds: 0, shuffleBytes: 0, outputRows: 0)
        var expected = ExpectedWindows()
        var watermark: Int64? = nil
        var generator = ClickGenerator(seed: seed)
        var batchId: Int64 = 0
        var consumed = 0
        while consumed < events {
            let count = min(max(1, batchRows), events - consumed)
            let inputs = decodedClicks(&generator, events: count, tasks: tasks, expected: &expected)
            consumed += count
            var blocks = [[[UInt8]]](repeating: [], count: plan.shufflePartitions)
            var maxEventTimeMs: Int64? = nil
            for (records, decoded) in inputs {
                let mapStart = nowNs()
                let mapped = try MapTask.run(plan: plan, records: records, decoded: decoded, watermarkMs: watermark)
                result.mapSeconds += Double(nowNs() - mapStart) / 1e9
                result.rows += decoded.batch.rowCount
                result.shuffleBytes += mapped.shuffleBlocks.reduce(0) { $0 + $1.count }
                for (partition, block) in mapped.shuffleBlocks.enumerated() { blocks[partition].append(block) }
                if let high = mapped.metrics.maxEventTimeMs { maxEventTimeMs = max(maxEventTimeMs ?? high, high) }
            }
            var outputs: [RecordBatch] = []
            outputs.reserveCapacity(plan.shufflePartitions)
            let reduceStart = nowNs()
            for partition in 0..<plan.shufflePartitions {
                let output = try ReduceTask.run(
                    plan: plan, partition: partition, blocks: blocks[partition], state: &states[partition],
                    batchId: batchId, watermarkMs: watermark)
                result.outputRows += output.rows.rowCount
                outputs.append(output.rows)
            }
            result.reduceSeconds += Double(nowNs() - reduceStart) / 1e9
            for rows in outputs where !expected.matches(rows) { result.exact = false }
            outputs.removeAll()
            watermark = Watermark.next(
                previousMs: watermark, batchMaxEventTimeMs: maxEventTimeMs,
                delayMs: plan.source.watermarkDelayMs ?? 0)
            result.batches += 1
            batchId += 1
        }
        return result
    }

    /// The next `events` clicks dealt round-robin to `tasks` decoded batches (ts, ip, user_id, status).
    static func decodedClicks(
        _ generator: inout ClickGenerator, events: Int, tasks: Int, expected: inout ExpectedWindows
    ) -> [(SourceRecords, DecodedRecords)] {
        var columns = (0..<tasks).map { _ in [Column(.timestamp), Column(.string), Column(.string), Column(.int64)] }
        var value: [UInt8] = []
        for index in 0..<events {
            value.removeAll(keepingCapacity: true)
            let truth = generator.append(to: &value)
            guard truth.defect == nil else { continue }
            let click = truth.click
            expected.add(click)
            let task = index % tasks
            columns[task][0].append(int64: click.tsMs)
            columns[task][1].append(string: click.ip)
            columns[task][2].append(string: click.userId)
            columns[task][3].append(int64: click.status)
        }
        let schema = Schema([
            Field("ts", .timestamp), Field("ip", .string), Field("user_id", .string), Field("status", .int64),
        ])
        return columns.map { taskColumns in
            let rows = taskColumns[0].count
            let records = SourceRecords(
                partition: 0, buffer: [], valueStarts: [Int](repeating: 0, count: rows),
                valueLengths: [Int32](repeating: 0, count: rows), offsets: (0..<Int64(rows)).map { $0 },
                timestampsMs: [Int64](repeating: 0, count: rows))
            let batch = RecordBatch(schema: schema, columns: taskColumns)
            return (records, DecodedRecords(batch: batch, recordIndexes: Array(0..<rows), deadLetters: []))
        }
    }
}

/// The pv_uv figures of every window, kept with plain sets: what the job must emit.
struct ExpectedWindows {
    var views: [Int64: Int64] = [:]
    var users: [Int64: Set<String>] = [:]
    var ips: [Int64: Set<String>] = [:]

    /// Counts a click that passes the job's filter in its 10 s window.
    mutating func add(_ click: Click) {
        guard click.status < 500, let start = WindowAssigner.tumbling(click.tsMs, sizeMs: 10_000)?.start else { return }
        views[start, default: 0] += 1
        users[start, default: []].insert(click.userId)
        ips[start, default: []].insert(click.ip)
    }

    /// Whether every row of `rows` (window_start, window_end, pv, uv, ips) is its window's figures.
    func matches(_ rows: RecordBatch) -> Bool {
        (0..<rows.rowCount).allSatisfy { row in
            let start = rows.columns[0].int64s[row]
            return rows.columns[2].int64s[row] == views[start]
                && rows.columns[3].int64s[row] == users[start].map { Int64($0.count) }
                && rows.columns[4].int64s[row] == ips[start].map { Int64($0.count) }
        }
    }
}
