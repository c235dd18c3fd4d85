import Testing

@testable import Query

/// Shared declarations and helpers for the SQL compiler tests.
enum SQLFixture {
    /// The issue's click stream (columns 0–7: ts, ip, user_id, url, referrer, user_agent, status, bytes).
    static let clicks = """
        CREATE STREAM clicks (
          ts TIMESTAMP, ip STRING, user_id STRING, url STRING, referrer STRING,
          user_agent STRING, status INT, bytes BIGINT
        ) WITH (topic = 'website-logs', format = 'json', event_time = 'ts', watermark = '5 seconds');
        """

    /// The same stream without event time or watermark.
    static let plainClicks = """
        CREATE STREAM clicks (
          ts TIMESTAMP, ip STRING, user_id STRING, url STRING, referrer STRING,
          user_agent STRING, status INT, bytes BIGINT
        ) WITH (topic = 'website-logs');
        """

    static let fields = [
        Field("ts", .timestamp), Field("ip", .string), Field("user_id", .string), Field("url", .string),
        Field("referrer", .string), Field("user_agent", .string), Field("status", .int64), Field("bytes", .int64),
    ]

    /// The issue's example job, verbatim.
    static let pvUV = """
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

    /// A script of `stream`, a console sink with `sinkOptions`, and `INSERT INTO out <select>`.
    static func script(_ select: String, stream: String = clicks, sinkOptions: String = "") -> String {
        "\(stream)\nCREATE SINK out WITH (type = 'console'\(sinkOptions));\nINSERT INTO out \(select);"
    }

    /// Compiles `select` over the click stream.
    static func plan(_ select: String, stream: String = clicks, sinkOptions: String = "") throws -> JobPlan {
        try QueryCompiler.compile(script(select, stream: stream, sinkOptions: sinkOptions))
    }

    /// The error `sql` compiles to; records an issue when it compiles.
    static func error(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) -> SQLError? {
        do {
            let plan = try QueryCompiler.compile(sql)
            Issue.record("expected an error, got a plan:\n\(plan.explain())", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// Expects `sql` to fail at `line:column` with a message containing every one of `fragments`.
    static func expectError(
        _ sql: String, at line: Int, _ column: Int, _ fragments: String...,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = error(sql, sourceLocation: sourceLocation) else { return }
        #expect(error.line == line && error.column == column, "\(error)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    /// The line and column (1-based, in characters) of occurrence `occurrence` of `needle` in `text`.
    /// With `after`, the search starts past the first occurrence of `after` (e.g. past "INSERT INTO",
    /// so a column name is not found in the CREATE STREAM first).
    static func position(of needle: String, in text: String, occurrence: Int = 1, after anchor: String? = nil)
        -> (line: Int, column: Int)
    {
        var found = 0
        let target = Array(needle)
        var anchorSeen = anchor == nil
        for (lineIndex, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let characters = Array(line)
            var firstColumn = 0
            if !anchorSeen, let anchor {
                guard let anchorColumn = Self.position(of: anchor, in: String(line), occurrence: 1, quiet: true) else {
                    continue
                }
                anchorSeen = true
                firstColumn = anchorColumn + anchor.count
            }
            guard characters.count >= target.count, firstColumn <= characters.count - target.count else { continue }
            for column in firstColumn...(characters.count - target.count)
            where Array(characters[column..<column + target.count]) == target {
                found += 1
                if found == occurrence { return (lineIndex + 1, column + 1) }
            }
        }
        Issue.record("'\(needle)' not found")
        return (0, 0)
    }

    /// The 0-based column of `needle` in one line, or nil.
    private static func position(of needle: String, in line: String, occurrence: Int, quiet: Bool) -> Int? {
        let characters = Array(line)
        let target = Array(needle)
        guard characters.count >= target.count else { return nil }
        return (0...(characters.count - target.count)).first {
            Array(characters[$0..<$0 + target.count]) == target
        }
    }

    /// Expects `sql` to fail where occurrence `occurrence` of `needle` starts, with `fragments` in the message.
    static func expectError(
        _ sql: String, atText needle: String, occurrence: Int = 1, after anchor: String? = nil, _ fragments: String...,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = error(sql, sourceLocation: sourceLocation) else { return }
        let (line, column) = position(of: needle, in: sql, occurrence: occurrence, after: anchor)
        #expect(error.line == line && error.column == column, "\(error)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
        }
    }
}
