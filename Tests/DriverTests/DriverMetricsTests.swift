import Testing
import Wire

@testable import Driver

/// A job's series on the driver's `/metrics`, fed with progress records whose figures the test
/// chose, read back from the rendered text.
@Suite struct DriverMetricsTests {
    /// Sample values by series as rendered (`name{labels}`).
    static func samples(_ registry: MetricsRegistry) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in registry.render().split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func committedBatchesAddUpAndGaugesShowTheLastOne() {
        let metrics = DriverMetrics()
        let counters = metrics.job("pv_uv")
        // ProgressTests.record: 120 rows in, 9 out, 2 dead letters, 100 ms, lag 30, 3 late rows,
        // 40 state rows in 4096 bytes, watermark 1_795_996_785_000 ms.
        counters.record(ProgressTests.record(batchId: 1))
        var second = ProgressTests.record(batchId: 2)
        second.durations.executionMs = 1_980
        second.source.latest = nil
        second.stateOperator?.rowsTotal = 55
        counters.record(second)

        let job = "{job=\"pv_uv\"}"
        let samples = Self.samples(metrics.registry)
        #expect(samples["spate_driver_batches_total\(job)"] == 2)
        #expect(samples["spate_driver_input_rows_total\(job)"] == 240)
        #expect(samples["spate_driver_output_rows_total\(job)"] == 18)
        #expect(samples["spate_driver_dead_letters_total\(job)"] == 4)
        #expect(samples["spate_driver_late_rows_total\(job)"] == 6)
        #expect(samples["spate_driver_batch_duration_seconds_count\(job)"] == 2)
        #expect(samples["spate_driver_batch_duration_seconds_sum\(job)"] == 0.1 + 2.0)
        #expect(samples["spate_driver_batch_duration_seconds_bucket{job=\"pv_uv\",le=\"+Inf\"}"] == 2)
        #expect(samples["spate_driver_source_lag_records\(job)"] == 30, "a replay keeps the last lag measured")
        #expect(samples["spate_driver_watermark_seconds\(job)"] == 1_795_996_785)
        #expect(samples["spate_driver_state_rows\(job)"] == 55)
        #expect(samples["spate_driver_state_memory_bytes\(job)"] == 4096)
    }
}
