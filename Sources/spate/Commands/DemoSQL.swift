import Foundation

/// The job `spate demo` submits: examples/clickstream/pv_uv.sql from the checkout when it is
/// there (so an edit to the example shows in the demo), else the copy built into the binary
/// (a test keeps the two identical).
enum DemoSQL {
    /// The example's path inside a checkout.
    static let relativePath = "examples/clickstream/pv_uv.sql"

    /// Where the SQL came from (a path, or "built in") and its text.
    struct Script: Sendable, Equatable {
        var origin: String
        var text: String
    }

    /// The example under the current directory, else under one of the directories above the
    /// executable (`.build/release/spate` sits two below the checkout), else the built-in copy.
    static func load(
        currentDirectory: String = FileManager.default.currentDirectoryPath, executable: String? = nil
    ) -> Script {
        var candidates = [currentDirectory + "/" + relativePath]
        if let executable {
            var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            for _ in 0..<4 {
                directory = directory.deletingLastPathComponent()
                candidates.append(directory.path + "/" + relativePath)
            }
        }
        for path in candidates {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                return Script(origin: URL(fileURLWithPath: path).standardizedFileURL.path, text: text)
            }
        }
        return Script(origin: "built in", text: builtIn)
    }

    /// A copy of examples/clickstream/pv_uv.sql.
    static let builtIn = """
        CREATE STREAM clicks (
          ts TIMESTAMP, ip STRING, user_id STRING, url STRING, referrer STRING,
          user_agent STRING, status INT, bytes BIGINT
        ) WITH (topic = 'website-logs', format = 'json', event_time = 'ts', watermark = '5 seconds');

        CREATE SINK pv_uv WITH (type = 'file', path = 'out/pv_uv', format = 'jsonl');

        INSERT INTO pv_uv
        SELECT window.start AS window_start, window.end AS window_end,
               count(*) AS pv, count(DISTINCT user_id) AS uv, count(DISTINCT ip) AS ips
        FROM clicks
        WHERE status < 500
        GROUP BY window(ts, '10 seconds');

        """
}
