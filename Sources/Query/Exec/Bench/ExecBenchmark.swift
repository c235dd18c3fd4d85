/// A benchmark of the execution side alone (no decoding, no I/O) on the pv_uv job: synthetic
/// decoded click rows through `MapTask` and `ReduceTask`. The caller supplies the clock, since
/// Query reads none; `spate bench query` prints its figures.
public enum ExecBenchmark {
    /// Timings of one run.
    public struct Result: Sendable {
        /// Rows pushed through the map side.
        public var rows: Int
        /// Map tasks run (one per batch).
        public var batches: Int
        /// Seconds spent in `MapTask.run`, all batches together.
        public var mapSeconds: Double
        /// Seconds spent in `ReduceTask.run`, all batches and partitions together.
        public var reduceSeconds: Double
        /// Shuffle bytes the map side produced.
        public var shuffleBytes: Int
        /// Rows the reduce side emitted (closed windows).
        public var outputRows: Int
        /// Whether every emitted row was checked and matched (only `runClicks` checks).
        public var exact = true

        /// Map-side rows per second.
        public var mapRowsPerSecond: Double { mapSeconds > 0 ? Double(rows) / mapSeconds : 0 }
        /// End-to-end (map + reduce) rows per second on one thread.
        public var rowsPerSecond: Double {
            mapSeconds + reduceSeconds > 0 ? Double(rows) / (mapSeconds + reduceSeconds) : 0
        }
    }

    /// Runs `rows` synthetic pv_uv rows in batches of `batchRows`: each batch is one map task
    /// then one reduce task per partition, with the watermark advanced between batches as the
    /// driver would. Users and IPs are drawn, skewed, from `users` and `ips` values (the distinct
    /// counts are what costs). `nowNs` is a clock in nanoseconds (a thread CPU-time clock keeps
    /// other processes' load out of the figures).
    public static func run(
        rows: Int, batchRows: Int = 100_000, users: Int = 200_000, ips: Int = 50_000, seed: UInt64 = 42,
        nowNs: () -> UInt64
    ) throws -> Result {
        let plan = pvUvPlan()
        var states = try (0..<plan.shufflePartitions).map { try AggregationState(plan: plan, partition: $0) }
        var result = Result(rows: 0, batches: 0, mapSeconds: 0, reduceSeconds: 0, shuffleBytes: 0, outputRows: 0)
        var watermark: Int64? = nil
        var generator = DecodedClickSynthesizer(seed: seed, users: max(1, users), ips: max(1, ips))
        var batchId: Int64 = 0
        while result.rows < rows {
            let count = min(batchRows, rows - result.rows)
            let (records, decoded) = generator.batch(rows: count, partition: 0)
            let mapStart = nowNs()
            let mapped = try MapTask.run(plan: plan, records: records, decoded: decoded, watermarkMs: watermark)
            result.mapSeconds += Double(nowNs() - mapStart) / 1e9
            result.shuffleBytes += mapped.shuffleBlocks.reduce(0) { $0 + $1.count }
            let reduceStart = nowNs()
            for partition in 0..<plan.shufflePartitions {
                let output = try ReduceTask.run(
                    plan: plan, partition: partition, blocks: [mapped.shuffleBlocks[partition]],
                    state: &states[partition],
                    batchId: batchId, watermarkMs: watermark)
                result.outputRows += output.rows.rowCount
            }
            result.reduceSeconds += Double(nowNs() - reduceStart) / 1e9
            watermark = Watermark.next(
                previousMs: watermark, batchMaxEventTimeMs: mapped.metrics.maxEventTimeMs,
                delayMs: plan.source.watermarkDelayMs ?? 0)
            result.rows += count
            result.batches += 1
            batchId += 1
        }
        return result
    }
}
