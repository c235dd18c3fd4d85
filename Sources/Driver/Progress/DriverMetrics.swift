import Scheduler
import Wire

/// The driver's metrics in Prometheus text format (`GET /metrics`): jobs, batches, rows in and
/// out, batch durations, dead letters, late rows, lag, watermark, state size, executors, task
/// attempts and failures.
public final class DriverMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: MetricsRegistry

    /// Metrics in a fresh registry.
    public init(registry: MetricsRegistry = MetricsRegistry()) {
        self.registry = registry
    }

    /// The counters of one job, labelled with its id.
    public func job(_ jobId: String) -> JobCounters {
        let labels = ["job": jobId]
        return JobCounters(
            batches: registry.counter("spate_driver_batches_total", help: "Batches committed.", labels: labels),
            inputRows: registry.counter(
                "spate_driver_input_rows_total", help: "Source records read by committed batches.", labels: labels),
            outputRows: registry.counter(
                "spate_driver_output_rows_total", help: "Rows written to sinks.", labels: labels),
            deadLetters: registry.counter(
                "spate_driver_dead_letters_total", help: "Records sent to the dead-letter topic.", labels: labels),
            batchSeconds: registry.histogram(
                "spate_driver_batch_duration_seconds", help: "Wall time of committed batches, trigger to commit.",
                buckets: Histogram.durationSecondsBuckets, labels: labels),
            lateRows: registry.counter(
                "spate_driver_late_rows_total", help: "Input rows dropped because they were behind the watermark.",
                labels: labels),
            lagRecords: registry.gauge(
                "spate_driver_source_lag_records",
                help: "Records the broker held beyond the last committed batch when it was planned.", labels: labels),
            watermarkSeconds: registry.gauge(
                "spate_driver_watermark_seconds", help: "Event-time watermark of the last committed batch (Unix time).",
                labels: labels),
            stateRows: registry.gauge(
                "spate_driver_state_rows", help: "Aggregation groups held after the last committed batch.",
                labels: labels),
            stateBytes: registry.gauge(
                "spate_driver_state_memory_bytes", help: "Approximate memory of the aggregation state.", labels: labels)
        )
    }

    /// Gauges and counters read at render time from the shell and the job table.
    public func watch(cluster: ClusterShell, jobStates: @escaping @Sendable () -> [JobRunState]) {
        for state in JobRunState.allCases {
            registry.gauge("spate_driver_jobs", help: "Jobs by state.", labels: ["state": state.rawValue]) {
                Double(jobStates().filter { $0 == state }.count)
            }
        }
        registry.gauge("spate_driver_executors", help: "Executors registered now.") { Double(cluster.executors.count) }
        registry.gauge("spate_driver_executor_slots", help: "Task slots of the registered executors.") {
            Double(cluster.executors.reduce(0) { $0 + $1.slots })
        }
        registry.gauge("spate_driver_running_tasks", help: "Task attempts running now.") {
            Double(cluster.executors.reduce(0) { $0 + $1.runningTasks })
        }
        registry.counter("spate_driver_executors_registered_total", help: "Executor registrations.") {
            Double(cluster.executorsRegisteredTotal)
        }
        let stats: [(String, String, @Sendable (SchedulerStats) -> Int)] = [
            ("spate_driver_task_attempts_total", "Task attempts launched.", { $0.attemptsLaunched }),
            (
                "spate_driver_task_failures_total", "Task attempts that failed (counted against their task).",
                { $0.failuresCounted }
            ),
            (
                "spate_driver_fetch_failures_total", "Reduce attempts that could not read a map output.",
                { $0.fetchFailures }
            ),
            (
                "spate_driver_executors_lost_total", "Executors lost (connection dropped or silent).",
                { $0.executorsLost }
            ),
            (
                "spate_driver_stage_resubmissions_total", "Stages rerun because shuffle output was lost.",
                { $0.stageResubmissions }
            ),
        ]
        for (name, help, read) in stats {
            registry.counter(name, help: help) { Double(read(cluster.schedulerStats)) }
        }
    }
}

/// One job's counters.
public struct JobCounters: Sendable {
    let batches: Counter
    let inputRows: Counter
    let outputRows: Counter
    let deadLetters: Counter
    let batchSeconds: Histogram
    let lateRows: Counter
    let lagRecords: Gauge
    let watermarkSeconds: Gauge
    let stateRows: Gauge
    let stateBytes: Gauge

    /// Counts one committed batch.
    func record(_ progress: ProgressRecord) {
        batches.increment()
        inputRows.increment(by: Int(progress.numInputRows))
        outputRows.increment(by: Int(progress.sink.rowsWritten))
        deadLetters.increment(by: Int(progress.deadLetters))
        batchSeconds.observe(Double(progress.durations.totalMs) / 1000)
        // A replayed batch knows no latest offsets; the gauge keeps the last lag measured.
        if let lag = progress.source.lag { lagRecords.set(Int(lag)) }
        if let watermarkMs = progress.eventTime.watermarkMs { watermarkSeconds.set(Double(watermarkMs) / 1000) }
        if let state = progress.stateOperator {
            lateRows.increment(by: Int(state.rowsDroppedByWatermark))
            stateRows.set(Int(state.rowsTotal))
            stateBytes.set(Int(state.memoryBytes))
        }
    }
}
