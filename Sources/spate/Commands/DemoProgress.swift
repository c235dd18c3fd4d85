import Foundation

/// The job's state and last batch as the demo shows them, read from the driver's status JSON
/// (`spate status JOB --json`).
struct DemoProgress: Sendable, Equatable {
    var state: String
    var failure: String?
    /// The last batch with a progress record, nil before the first commit.
    var batchId: Int64?
    var inputRowsPerSecond: Double = 0
    var processedRowsPerSecond: Double = 0
    /// The whole batch (Spark's triggerExecution).
    var batchMs: Int64 = 0
    /// ISO-8601 UTC, nil before the first watermark.
    var watermark: String?
    /// Records the broker held beyond the batch's end, summed over partitions; nil when unknown.
    var lag: Int64?
    var deadLetters: Int64 = 0
    var executors: Int = 0

    /// Parses the status JSON; nil when it is not a job object.
    static func parse(_ json: [UInt8]) -> DemoProgress? {
        guard let job = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            let state = job["state"] as? String
        else { return nil }
        var progress = DemoProgress(state: state, failure: job["failure"] as? String)
        progress.watermark = job["watermark"] as? String
        progress.deadLetters = (job["deadLetters"] as? NSNumber)?.int64Value ?? 0
        progress.executors = (job["executors"] as? [Any])?.count ?? 0
        guard let last = job["lastProgress"] as? [String: Any] else { return progress }
        progress.batchId = (last["batchId"] as? NSNumber)?.int64Value
        progress.inputRowsPerSecond = (last["inputRowsPerSecond"] as? NSNumber)?.doubleValue ?? 0
        progress.processedRowsPerSecond = (last["processedRowsPerSecond"] as? NSNumber)?.doubleValue ?? 0
        let durations = last["durationMs"] as? [String: Any]
        progress.batchMs = (durations?["triggerExecution"] as? NSNumber)?.int64Value ?? 0
        let sources = last["sources"] as? [[String: Any]] ?? []
        let lags = sources.compactMap { ($0["lag"] as? NSNumber)?.int64Value }
        progress.lag = lags.isEmpty ? nil : lags.reduce(0, +)
        return progress
    }
}
