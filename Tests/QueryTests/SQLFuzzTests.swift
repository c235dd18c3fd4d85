import Testing

@testable import Query

/// Hostile input never traps or hangs: garbage, truncations and token-level mutations of valid
/// scripts either compile or fail with an SQLError whose position lies inside the text.
@Suite struct SQLFuzzTests {
    /// SplitMix64: a tiny seeded generator, so a failing case replays from its seed.
    struct SeededRandom: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let topURLs = """
        CREATE STREAM clicks (ts TIMESTAMP, url STRING, status INT)
          WITH (topic = 'website-logs', event_time = 'ts', watermark = '5 seconds');
        CREATE SINK top_urls WITH (type = 'topic', topic = 'top-urls', key = 'window_start');
        /* the ten most visited pages per minute */
        INSERT INTO top_urls
        SELECT window.start AS window_start, top_k(url, 10) AS urls, count(*) AS views
        FROM clicks WHERE status BETWEEN 200 AND 399 AND url NOT LIKE '%.png'
        GROUP BY window(ts, INTERVAL 1 MINUTE) HAVING count(*) > 0;
        """

    /// Compiles `text`; on error, checks the position is a real place in the text, and that the
    /// rendering quotes that line.
    @discardableResult
    static func compileChecked(_ text: String, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) -> Bool
    {
        do {
            _ = try QueryCompiler.compile(text, fileName: "fuzz.sql")
            return true
        } catch {
            let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
                String(decoding: $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0, as: UTF8.self)
            }
            let inside = error.line >= 1 && error.line <= lines.count
            #expect(
                inside, "seed \(seed): line \(error.line) outside \(lines.count) lines", sourceLocation: sourceLocation)
            if inside {
                let width = lines[error.line - 1].unicodeScalars.count
                #expect(
                    error.column >= 1 && error.column <= width + 1,
                    "seed \(seed): column \(error.column) outside a line of \(width)", sourceLocation: sourceLocation)
                #expect(error.sourceLine == lines[error.line - 1], "seed \(seed)", sourceLocation: sourceLocation)
            }
            #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
            return false
        }
    }

    @Test func everyTruncationOfTheExamples() {
        for script in [SQLFixture.pvUV, Self.topURLs] {
            let scalars = Array(script.unicodeScalars)
            var compiled = 0
            for length in 0..<scalars.count {
                var prefix = String.UnicodeScalarView()
                prefix.append(contentsOf: scalars[..<length])
                if Self.compileChecked(String(prefix), seed: UInt64(length)) { compiled += 1 }
            }
            // Only cuts inside the trailing "...')" of the last clause or after it can still compile.
            #expect(compiled < 10)
        }
    }

    @Test func randomGarbage() {
        let fragments = [
            "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "CREATE", "STREAM", "SINK", "WITH", "INSERT", "INTO",
            "count", "(", ")", "*", ",", ";", "'", "\"", "`", "--", "/*", "*/", "\n", " ", "\t", "\r\n", "1", "1.5",
            "1e", "'10 seconds'", "window", ".", "start", "=", "<>", "||", "NOT", "IN", "LIKE", "BETWEEN", "AND", "OR",
            "CASE", "WHEN", "THEN", "END", "CAST", "AS", "TIMESTAMP", "INTERVAL", "é", "@", "\u{0}", "NULL", "ts",
            "url",
            "clicks", "out", "topic", "type", "'console'", "-", "+", "%", "/",
        ]
        for seed in UInt64(1)...1_500 {
            var random = SeededRandom(state: seed)
            let count = Int.random(in: 0...40, using: &random)
            let text = (0..<count).map { _ in fragments.randomElement(using: &random)! }.joined()
            Self.compileChecked(text, seed: seed)
        }
    }

    @Test func randomBytes() {
        for seed in UInt64(1)...500 {
            var random = SeededRandom(state: seed)
            let bytes = (0..<Int.random(in: 0...120, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            Self.compileChecked(String(decoding: bytes, as: UTF8.self), seed: seed)
        }
    }

    @Test func tokenMutationsOfValidScripts() throws {
        let scripts = [SQLFixture.pvUV, Self.topURLs]
        let tokenLists = try scripts.map { try Lexer.tokenize($0).dropLast().map(\.text) }
        for seed in UInt64(1)...1_500 {
            var random = SeededRandom(state: seed)
            var tokens = tokenLists[Int(seed % 2)]
            for _ in 0...Int.random(in: 0...3, using: &random) {
                let index = Int.random(in: 0..<tokens.count, using: &random)
                switch Int.random(in: 0...3, using: &random) {
                case 0: tokens.remove(at: index)
                case 1: tokens.insert(tokens[index], at: index)
                case 2: tokens.swapAt(index, Int.random(in: 0..<tokens.count, using: &random))
                default: tokens[index] = tokens.randomElement(using: &random)!
                }
                if tokens.isEmpty { break }
            }
            Self.compileChecked(tokens.joined(separator: " "), seed: seed)
        }
    }

    @Test func crlfScriptsReportTheRightLine() {
        let text = SQLFixture.script("SELECT usr_id FROM clicks").split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .joined(separator: "\r\n")
        do {
            _ = try QueryCompiler.compile(text)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 6 && error.column == 24)
            #expect(error.sourceLine == "INSERT INTO out SELECT usr_id FROM clicks;")
        }
    }

    @Test func exponentialRewritesAreRefused() {
        // Each BETWEEN repeats its operand twice; twenty nested ones would be a million nodes.
        var expr = "status"
        for _ in 0..<20 { expr = "(\(expr) BETWEEN true AND false)" }
        #expect(throws: SQLError.self) { try SQLFixture.plan("SELECT \(expr) FROM clicks") }
        var simpleCase = "status"
        for _ in 0..<12 { simpleCase = "CASE \(simpleCase) WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 3 END" }
        #expect(throws: SQLError.self) { try SQLFixture.plan("SELECT \(simpleCase) FROM clicks") }
    }

    @Test func oversizedScriptsAreRefused() {
        let huge = String(repeating: "-- padding\n", count: QueryCompiler.scriptBytesMax / 10)
        #expect(throws: SQLError.self) { try QueryCompiler.compile(huge) }
    }
}
