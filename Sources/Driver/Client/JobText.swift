import Foundation

/// The driver's job JSON as text for people.
public enum JobText {
    /// One line per job: id, state, last batch, input rate, watermark.
    public static func list(_ json: [UInt8]) -> String {
        guard let jobs = try? JSONSerialization.jsonObject(with: Data(json)) as? [[String: Any]] else {
            return String(decoding: json, as: UTF8.self)
        }
        if jobs.isEmpty { return "no jobs" }
        var rows = [["JOB", "STATE", "BATCH", "IN ROWS/S", "WATERMARK"]]
        for job in jobs {
            let progress = job["lastProgress"] as? [String: Any]
            rows.append([
                job["id"] as? String ?? "?", job["state"] as? String ?? "?",
                (job["lastBatchId"] as? Int).map(String.init) ?? "-",
                (progress?["inputRowsPerSecond"] as? Double).map { String(format: "%.1f", $0) } ?? "-",
                job["watermark"] as? String ?? "-",
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// A short summary of one job: state, batches, last batch's rates and duration, watermark, lag.
    public static func status(_ json: [UInt8]) -> String {
        guard let job = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
            return String(decoding: json, as: UTF8.self)
        }
        var lines = ["job \(job["id"] as? String ?? "?"): \(job["state"] as? String ?? "?")"]
        if let failure = job["failure"] as? String { lines.append("  failure: \(failure)") }
        let committed = job["batchesCommitted"] as? Int ?? 0
        let last = (job["lastBatchId"] as? Int).map { "last committed: batch \($0)" } ?? "none committed yet"
        lines.append("  batches: \(committed) committed by this driver, \(last)")
        if let progress = job["lastProgress"] as? [String: Any] {
            let rows = progress["numInputRows"] as? Int ?? 0
            let input = progress["inputRowsPerSecond"] as? Double ?? 0
            let processed = progress["processedRowsPerSecond"] as? Double ?? 0
            let duration = (progress["durationMs"] as? [String: Any])?["triggerExecution"] as? Int ?? 0
            lines.append(
                "  last batch: \(rows) rows in \(duration) ms, "
                    + String(format: "%.1f rows/s in, %.1f rows/s processed", input, processed))
            let lag = ((progress["sources"] as? [[String: Any]])?.first?["lag"] as? Int).map(String.init) ?? "unknown"
            lines.append("  lag: \(lag) records")
        }
        lines.append("  watermark: \(job["watermark"] as? String ?? "none yet")")
        lines.append(
            "  rows: \(job["inputRows"] as? Int ?? 0) in, \(job["outputRows"] as? Int ?? 0) out, "
                + "\(job["deadLetters"] as? Int ?? 0) dead letters")
        if let executors = job["executors"] as? [[String: Any]] { lines.append("  executors: \(executors.count)") }
        return lines.joined(separator: "\n")
    }
}
