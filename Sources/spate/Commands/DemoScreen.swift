import Foundation
import Query

/// What the demo prints, as pure functions of what it knows: the progress line, the window
/// table, the plain lines and the redrawn frame.
enum DemoScreen {
    /// Windows the redrawn table shows.
    static let tableRowsMax = 8

    /// "batch 42 | in 20011 rows/s | processed 150000 rows/s | 131 ms | watermark 06:50:05 | lag 120".
    static func progressLine(_ progress: DemoProgress?, jobId: String) -> String {
        guard let progress else { return "job \(jobId): waiting for the driver's status" }
        if let failure = progress.failure { return "job \(jobId) \(progress.state): \(failure)" }
        guard let batch = progress.batchId else {
            return "job \(jobId) \(progress.state): waiting for the first batch (\(progress.executors) executors)"
        }
        let watermark = progress.watermark.map(clockTime) ?? "none"
        let lag = progress.lag.map { "\($0)" } ?? "?"
        return "batch \(batch) | in \(rate(progress.inputRowsPerSecond)) rows/s"
            + " | processed \(rate(progress.processedRowsPerSecond)) rows/s | \(progress.batchMs) ms"
            + " | watermark \(watermark) | lag \(lag)"
    }

    /// The table's header and one line per window (the last `rowsMax`, oldest first).
    static func windowTable(_ windows: [DemoWindow], rowsMax: Int = tableRowsMax) -> [String] {
        let header = "window start (UTC)  " + pad("pv", 10) + pad("uv", 8) + pad("ips", 8)
        guard !windows.isEmpty else { return [header, "(no window closed yet)"] }
        return [header]
            + windows.suffix(rowsMax).map { window in
                windowStart(window.startMs) + "  " + pad("\(window.pv)", 10) + pad("\(window.uv)", 8)
                    + pad("\(window.ips)", 8)
            }
    }

    /// One closed window as an appended line: "window 2026-11-30 06:50:00 pv 199812 uv 4990 ips 3000".
    static func windowLine(_ window: DemoWindow) -> String {
        "window \(windowStart(window.startMs)) pv \(window.pv) uv \(window.uv) ips \(window.ips)"
    }

    /// The whole screen for a terminal: cursor home, every line cleared to its end, then
    /// everything below cleared, so it redraws in place without flicker.
    static func frame(header: [String], clicks: String?, progress: String, windows: [DemoWindow]) -> String {
        var lines = header
        lines.append("")
        lines.append(clicks.map { "clicks: \($0)" } ?? "clicks: starting")
        lines.append(progress)
        lines.append("")
        lines.append("last closed windows (10 s each; a window closes once the watermark passes its end)")
        lines += windowTable(windows)
        return "\u{1B}[H" + lines.map { $0 + "\u{1B}[K\n" }.joined() + "\u{1B}[J"
    }

    /// "2026-11-30 06:50:00" from epoch milliseconds.
    static func windowStart(_ epochMs: Int64) -> String {
        let text = TimestampCodec.formatISO8601(epochMs: epochMs)
        return String(text.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    /// "06:50:05" from "2026-11-30T06:50:05.000Z"; the text itself when it is not in that shape.
    static func clockTime(_ iso: String) -> String {
        let characters = Array(iso)
        guard characters.count >= 19, characters[10] == "T" else { return iso }
        return String(characters[11..<19])
    }

    private static func rate(_ value: Double) -> String {
        value.isFinite ? "\(Int(value.rounded()))" : "?"
    }

    /// `text` right-aligned in `width` columns.
    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
