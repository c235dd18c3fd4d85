import Driver
import Foundation
import Query

/// One committed batch as the driver's status reports it (wall clock, ms).
struct BatchSample: Sendable, Equatable {
    /// The phases of a batch, as the driver's progress names them.
    static let phaseNames = ["latestOffset", "walCommit", "planning", "execution", "commit"]

    var batchId: Int64
    /// When its trigger fired.
    var startMs: Int64
    /// Its whole duration (Spark's `triggerExecution`).
    var totalMs: Int64
    var inputRows: Int64
    /// latestOffset, walCommit, planning, execution, commit (ms), in `phaseNames` order.
    var phasesMs: [Int64] = []
    /// When it committed.
    var endMs: Int64 { startMs + totalMs }
}

/// A job's status as `spate status --json` prints it, reduced to what the benchmark reads.
struct JobStatusSample: Sendable {
    var state: String
    var failure: String?
    var inputRows: Int64
    var deadLetters: Int64
    var lastBatchId: Int64?
    /// Executor process id → tasks it runs now.
    var runningTasksByPid: [Int32: Int]
    var batches: [BatchSample]

    /// Parses the driver's job JSON (`DriverClient.status`).
    init(json: [UInt8]) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
            throw BenchError("the driver's status is not a JSON object")
        }
        state = object["state"] as? String ?? "?"
        failure = object["failure"] as? String
        inputRows = (object["inputRows"] as? NSNumber)?.int64Value ?? 0
        deadLetters = (object["deadLetters"] as? NSNumber)?.int64Value ?? 0
        lastBatchId = (object["lastBatchId"] as? NSNumber)?.int64Value
        var running: [Int32: Int] = [:]
        for executor in object["executors"] as? [[String: Any]] ?? [] {
            guard let pid = (executor["pid"] as? NSNumber)?.int32Value else { continue }
            running[pid] = (executor["runningTasks"] as? NSNumber)?.intValue ?? 0
        }
        runningTasksByPid = running
        batches = try (object["recentProgress"] as? [[String: Any]] ?? []).map(Self.batch)
    }

    private static func batch(_ progress: [String: Any]) throws -> BatchSample {
        guard let batchId = (progress["batchId"] as? NSNumber)?.int64Value,
            let timestamp = progress["timestamp"] as? String,
            let durations = progress["durationMs"] as? [String: Any],
            let total = (durations["triggerExecution"] as? NSNumber)?.int64Value,
            let rows = (progress["numInputRows"] as? NSNumber)?.int64Value
        else { throw BenchError("a progress record lacks batchId, timestamp, durationMs or numInputRows") }
        return BatchSample(
            batchId: batchId, startMs: try TimestampCodec.parseISO8601(timestamp), totalMs: total, inputRows: rows,
            phasesMs: BatchSample.phaseNames.map { (durations[$0] as? NSNumber)?.int64Value ?? 0 })
    }
}

/// Polls one job on the driver and keeps every batch it has seen, by id.
final class JobWatcher {
    let client: DriverClient
    let jobId: String
    private(set) var batches: [Int64: BatchSample] = [:]
    private(set) var last: JobStatusSample?

    init(client: DriverClient, jobId: String) {
        self.client = client
        self.jobId = jobId
    }

    /// Asks the driver once; a failed job is an error.
    @discardableResult
    func poll() async throws -> JobStatusSample {
        let sample = try JobStatusSample(json: try await client.status(jobId: jobId))
        if sample.state == "failed" { throw BenchError("the job failed: \(sample.failure ?? "unknown")") }
        for batch in sample.batches { batches[batch.batchId] = batch }
        last = sample
        return sample
    }

    /// Polls every `intervalMs` until `done` says so or `timeoutSeconds` pass (an error).
    func poll(everyMs intervalMs: UInt64, timeoutSeconds: Double, what: String, until done: (JobStatusSample) -> Bool)
        async throws -> JobStatusSample
    {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            let sample = try await poll()
            if done(sample) { return sample }
            guard Date() < deadline else {
                throw BenchError("timed out after \(Int(timeoutSeconds)) s waiting for \(what)")
            }
            try await Task.sleep(nanoseconds: intervalMs * 1_000_000)
        }
    }

    /// Batches seen so far, by id.
    var sorted: [BatchSample] { batches.keys.sorted().compactMap { batches[$0] } }
}

/// Wall clock, ms since the epoch (the clock progress records use).
func wallClockMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
