import Foundation
import Wire

/// What `spate bench cluster` measured, as a table or one JSON object.
struct BenchClusterReport: BenchReport {
    /// The pre-loaded clicks, end to end.
    struct Throughput: Sendable {
        /// Batch 0 up to the batch that covered every pre-loaded click.
        var batches: [BatchSample]
        /// The sink's windows and the dead letters equal the independently computed ones.
        var exact: Bool

        var events: Int64 { batches.reduce(0) { $0 + $1.inputRows } }
        var seconds: Double {
            guard let first = batches.first, let last = batches.last else { return 0 }
            return Double(last.endMs - first.startMs) / 1e3
        }
        var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
    }

    /// Batches under the paced producer.
    struct Paced: Sendable {
        var ratePerSecond: Int
        var seconds: Double
        var batches: [BatchSample]
        /// Batches of the window the status polls did not see (the driver keeps the last 100).
        var missedBatches: Int

        var durationsMs: [Int64] { batches.map(\.totalMs).sorted() }
        func percentile(_ fraction: Double) -> Int64 { Self.percentile(durationsMs, fraction) }
        static func percentile(_ sorted: [Int64], _ fraction: Double) -> Int64 {
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
        }
        /// Mean milliseconds per phase (`BatchSample.phaseNames`).
        var phaseMeansMs: [Double] {
            guard !batches.isEmpty else { return BatchSample.phaseNames.map { _ in 0 } }
            return BatchSample.phaseNames.indices.map { phase in
                Double(batches.reduce(0) { $0 + ($1.phasesMs.count > phase ? $1.phasesMs[phase] : 0) })
                    / Double(batches.count)
            }
        }
        /// The 99th percentile of each phase on its own (`BatchSample.phaseNames`).
        var phaseP99sMs: [Int64] {
            BatchSample.phaseNames.indices.map { phase in
                Self.percentile(batches.map { $0.phasesMs.count > phase ? $0.phasesMs[phase] : 0 }.sorted(), 0.99)
            }
        }
        /// Input records per second over the window, as the job saw them.
        var eventsPerSecond: Double {
            guard let first = batches.first, let last = batches.last, last.endMs > first.startMs else { return 0 }
            return Double(batches.reduce(0) { $0 + $1.inputRows }) / (Double(last.endMs - first.startMs) / 1e3)
        }
    }

    /// One `kill -9` of an executor.
    struct Recovery: Sendable {
        /// The first batch that committed after the kill.
        var batchId: Int64
        /// From the kill to that batch's commit (the driver's clock).
        var nextCommitMs: Int64
        /// From the kill to when the benchmark saw the commit (polling every 10 ms).
        var seenAfterMs: Int64
    }

    var events: Int
    var valueBytes: Int
    var throughput: Throughput
    var paced: Paced
    var recoveries: [Recovery]

    var recoveryMsMax: Int64 { recoveries.map(\.nextCommitMs).max() ?? 0 }

    var text: String {
        var lines = [
            "pv_uv on a broker, a driver and two one-slot executors (child processes)",
            "",
            "pre-loaded \(events) clicks (\(fixed(Double(valueBytes) / 1e6, 1)) MB)",
            "  events/s            \(integer(throughput.eventsPerSecond))"
                + "   (\(fixed(throughput.seconds, 2)) s, \(throughput.batches.count) batches)",
            "  exact results       \(throughput.exact ? "yes" : "NO")",
            "paced at \(paced.ratePerSecond) events/s for \(fixed(paced.seconds, 0)) s "
                + "(\(paced.batches.count) batches, \(integer(paced.eventsPerSecond)) events/s read"
                + (paced.missedBatches > 0 ? ", \(paced.missedBatches) not seen" : "") + ")",
            "  batch p50 / p99     \(paced.percentile(0.5)) ms / \(paced.percentile(0.99)) ms"
                + "   (max \(paced.durationsMs.last ?? 0) ms)",
            "  mean phases (ms)    "
                + zip(BatchSample.phaseNames, paced.phaseMeansMs).map { "\($0) \(fixed($1, 1))" }.joined(
                    separator: ", "),
            "  phase p99s (ms)     "
                + zip(BatchSample.phaseNames, paced.phaseP99sMs).map { "\($0) \($1)" }.joined(separator: ", "),
            "kill -9 of an executor, to the next commit",
        ]
        for (index, recovery) in recoveries.enumerated() {
            lines.append("  kill \(index + 1)              \(recovery.nextCommitMs) ms   (batch \(recovery.batchId))")
        }
        return lines.joined(separator: "\n")
    }

    var json: String {
        let bytes = JSONWriter.object { object in
            object.field("events", events)
            object.field("value_bytes", valueBytes)
            object.field("events_per_s", throughput.eventsPerSecond)
            object.field("seconds", throughput.seconds)
            object.field("batches", throughput.batches.count)
            object.field("exact", throughput.exact)
            object.field("paced_rate_per_s", paced.ratePerSecond)
            object.field("paced_batches", paced.batches.count)
            object.field("paced_events_per_s", paced.eventsPerSecond)
            object.field("paced_missed_batches", paced.missedBatches)
            object.field("batch_ms_p50", paced.percentile(0.5))
            object.field("batch_ms_p99", paced.percentile(0.99))
            object.field("batch_ms_max", paced.durationsMs.last ?? 0)
            object.object("batch_phase_ms_mean") { phases in
                for (name, mean) in zip(BatchSample.phaseNames, paced.phaseMeansMs) { phases.field(name, mean) }
            }
            object.object("batch_phase_ms_p99") { phases in
                for (name, p99) in zip(BatchSample.phaseNames, paced.phaseP99sMs) { phases.field(name, p99) }
            }
            object.field("recovery_ms", recoveries.map(\.nextCommitMs))
            object.field("recovery_ms_max", recoveryMsMax)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
