import Driver
import Foundation
import Query
import Wire

/// What `spate bench query` measured, as a table or one JSON object.
struct BenchQueryReport: Sendable {
    /// One run of the job.
    struct Run: Sendable {
        var threads: Int
        /// Batch 0 up to the batch that covered every record.
        var progress: [ProgressRecord]
        var valueBytes: Int
        /// CPU time of the whole process (broker, driver, executor) during the run.
        var processCPUSeconds: Double
        var tasks: TaskTimeTally.Totals
        /// The sink's rows equal the independently computed windows and the dead letters the
        /// malformed lines.
        var exact: Bool

        var events: Int64 { progress.reduce(0) { $0 + $1.numInputRows } }
        /// From the first batch's trigger to the commit of the last.
        var seconds: Double {
            guard let first = progress.first, let last = progress.last else { return 0 }
            return Double(last.timestampMs + last.durations.totalMs - first.timestampMs) / 1e3
        }
        var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
        var megabytesPerSecond: Double { seconds > 0 ? Double(valueBytes) / seconds / 1e6 : 0 }
        var eventsPerCPUSecond: Double { processCPUSeconds > 0 ? Double(events) / processCPUSeconds : 0 }
        /// Each batch phase summed over the run's batches, in seconds.
        var phaseSeconds: (offsets: Double, wal: Double, planning: Double, execution: Double, commit: Double) {
            let sum = { (phase: (BatchDurations) -> Int64) in
                Double(progress.reduce(0) { $0 + phase($1.durations) }) / 1e3
            }
            return (sum(\.latestOffsetMs), sum(\.walCommitMs), sum(\.planningMs), sum(\.executionMs), sum(\.commitMs))
        }
        /// Median batch duration.
        var batchMsP50: Int64 {
            let sorted = progress.map(\.durations.totalMs).sorted()
            return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        }
    }

    var events: Int
    var valueBytes: Int
    var partitions: Int
    var recordsPerBatchMax: Int?
    var runs: [Run]
    var decode: FormatBenchmark.Result?

    var text: String {
        var lines = [
            "pv_uv over \(events) generated clicks (\(fixed(Double(valueBytes) / 1e6, 1)) MB of JSON values, "
                + "\(partitions) partitions, "
                + (recordsPerBatchMax.map { "at most \($0) records per batch" }
                    ?? "the driver's default cap of \(JobSettings.defaultRecordsPerBatchMax) records per batch") + ")",
            "",
            "threads    events/s      MB/s   seconds   batches  batch p50 ms   CPU s  events/CPU-s  exact",
        ]
        for run in runs {
            lines.append(
                pad(String(run.threads), 7) + pad(integer(run.eventsPerSecond), 12)
                    + pad(fixed(run.megabytesPerSecond, 1), 10)
                    + pad(fixed(run.seconds, 2), 10) + pad(String(run.progress.count), 10)
                    + pad(String(run.batchMsP50), 14) + pad(fixed(run.processCPUSeconds, 2), 8)
                    + pad(integer(run.eventsPerCPUSecond), 14) + pad(run.exact ? "yes" : "NO", 7))
        }
        lines.append("")
        lines.append("task time (s)   read  decode     map  reduce   (summed over slots)")
        for run in runs {
            let tasks = run.tasks
            lines.append(
                "  \(run.threads) thread(s)" + pad(fixed(tasks.readSeconds, 2), 9)
                    + pad(fixed(tasks.decodeSeconds, 2), 8)
                    + pad(fixed(tasks.mapSeconds, 2), 8) + pad(fixed(tasks.reduceSeconds, 2), 8))
        }
        lines.append("")
        lines.append(
            "batch phases (s)  offsets   wal  planning  execution  commit   (summed over batches; a batch's "
                + "reduce overlaps the next one's maps, its commit the next batch)")
        for run in runs {
            let phases = run.phaseSeconds
            lines.append(
                "  \(run.threads) thread(s)" + pad(fixed(phases.offsets, 2), 10) + pad(fixed(phases.wal, 2), 6)
                    + pad(fixed(phases.planning, 2), 10) + pad(fixed(phases.execution, 2), 11)
                    + pad(fixed(phases.commit, 2), 8))
        }
        if let decode {
            lines.append("")
            lines.append(
                "JSON decode alone (4 of 8 columns, full validation, one thread): "
                    + "\(fixed(decode.megabytesPerSecond, 1)) MB/s, \(integer(decode.eventsPerSecond)) events/s "
                    + "(\(fixed(decode.megabytesPerCPUSecond, 1)) MB per CPU-second)")
        }
        return lines.joined(separator: "\n")
    }

    var json: String {
        let bytes = JSONWriter.object { object in
            object.field("events", events)
            object.field("value_bytes", valueBytes)
            object.field("partitions", partitions)
            if let recordsPerBatchMax { object.field("max_records_per_batch", recordsPerBatchMax) }
            object.array("runs") { array in
                for run in runs { array.appendObject { Self.write(run, into: &$0) } }
            }
            if let decode {
                object.object("json_decode") { object in
                    object.field("events", decode.events)
                    object.field("bytes", decode.bytes)
                    object.field("seconds", decode.seconds)
                    object.field("mb_per_s", decode.megabytesPerSecond)
                    object.field("events_per_s", decode.eventsPerSecond)
                    object.field("mb_per_cpu_s", decode.megabytesPerCPUSecond)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func write(_ run: Run, into object: inout JSONObjectWriter) {
        object.field("threads", run.threads)
        object.field("events", run.events)
        object.field("seconds", run.seconds)
        object.field("events_per_s", run.eventsPerSecond)
        object.field("mb_per_s", run.megabytesPerSecond)
        object.field("batches", run.progress.count)
        object.field("batch_ms_p50", run.batchMsP50)
        object.field("process_cpu_s", run.processCPUSeconds)
        object.field("events_per_cpu_s", run.eventsPerCPUSecond)
        object.field("exact", run.exact)
        object.object("phase_seconds") { phases in
            let summed = run.phaseSeconds
            phases.field("latest_offset", summed.offsets)
            phases.field("wal_commit", summed.wal)
            phases.field("planning", summed.planning)
            phases.field("execution", summed.execution)
            phases.field("commit", summed.commit)
        }
        object.object("task_seconds") { tasks in
            tasks.field("read", run.tasks.readSeconds)
            tasks.field("decode", run.tasks.decodeSeconds)
            tasks.field("map", run.tasks.mapSeconds)
            tasks.field("reduce", run.tasks.reduceSeconds)
            tasks.field("map_tasks", run.tasks.mapTasks)
            tasks.field("reduce_tasks", run.tasks.reduceTasks)
        }
    }
}

/// `text` right-aligned in `width` columns.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
}

/// A rate rounded to a whole number.
func integer(_ value: Double) -> String { value.isFinite ? String(Int(value.rounded())) : "-" }
