import Testing

@testable import Query

@Suite struct FormatCombinedLogTests {
    static let names = [
        "ip", "ident", "user", "ts", "method", "url", "protocol", "status", "bytes", "referrer", "user_agent",
    ]
    static let schema = Schema(
        names.map { name in
            Field(name, name == "ts" ? .timestamp : name == "status" || name == "bytes" ? .int64 : .string)
        })
    static let decoder = FormatFixture.decoder(schema, format: .combinedLog, eventTime: 3)

    static func outcome(_ line: String) -> Result<[Value], ReasonError> { FormatFixture.outcome(decoder, line) }

    static let apache =
        "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
        + "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\""

    @Test func decodesTheApacheExample() {
        #expect(
            Self.outcome(Self.apache).row == [
                .string("127.0.0.1"), .null, .string("frank"), .timestamp(971_211_336_000), .string("GET"),
                .string("/apache_pb.gif"), .string("HTTP/1.0"), .int64(200), .int64(2326),
                .string("http://www.example.com/start.html"), .string("Mozilla/4.08 [en] (Win98; I ;Nav)"),
            ])
        #expect(Self.outcome(Self.apache + "\r\n").row != nil)
    }

    @Test func dashesAndEscapes() {
        let line =
            "::1 - - [30/Nov/2026:03:17:37 +0000] \"POST /a%20b?q=\\\"x\\\" HTTP/2.0\" 304 - \"-\" \"-\""
        let row = Self.outcome(line).row
        #expect(row?[0] == .string("::1"))
        #expect(row?[1] == .null && row?[2] == .null)
        #expect(row?[5] == .string("/a%20b?q=\"x\""))
        #expect(row?[8] == .null)
        #expect(row?[9] == .null)
        // A lone dash is NULL for ident, user, bytes and referrer only.
        #expect(row?[10] == .string("-"))
        let agent = "1.2.3.4 - - [30/Nov/2026:03:17:37 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"a \\\\ b \\x22\""
        #expect(Self.outcome(agent).row?[10] == .string("a \\ b \\x22"))
    }

    @Test func requestLinesOfEveryShape() {
        func request(_ text: String) -> [Value]? {
            Self.outcome("1.2.3.4 - - [30/Nov/2026:03:17:37 +0000] \"\(text)\" 400 0 \"-\" \"ua\"").row.map {
                Array($0[4...6])
            }
        }
        #expect(request("-") == [.null, .null, .null])
        #expect(request("GET /old") == [.string("GET"), .string("/old"), .null])
        #expect(request("GET /with space HTTP/1.1") == [.string("GET"), .string("/with space"), .string("HTTP/1.1")])
        #expect(
            Self.outcome("1.2.3.4 - - [30/Nov/2026:03:17:37 +0000] \"garbage\" 400 0 \"-\" \"ua\"").tag == "malformed")
    }

    @Test func malformedLines() {
        let cases: [(String, String)] = [
            ("", "expected a field at byte 0"),
            ("1.2.3.4 - - 30/Nov/2026:03:17:37 +0000 \"GET / HTTP/1.1\" 200 1 \"-\" \"ua\"", "expected '[' at byte 12"),
            (
                "1.2.3.4 - - [30/Nov/2026:03:17:37 +0000 \"GET / HTTP/1.1\" 200 1",
                "unterminated '[' timestamp at byte 62"
            ),
            (
                "1.2.3.4 - - [30/Nov/2026:03:17:37 +0000] \"GET / HTTP/1.1 200 1 \"-\" \"ua\"",
                "expected a space at byte 64"
            ),
            (
                "1.2.3.4 - - [30/Nov/2026:03:17:37 +0000] \"GET / HTTP/1.1\" 200 1 \"-\"",
                "unexpected end of line at byte 67"
            ),
            (
                "1.2.3.4 - - [30/Nov/2026:03:17:37 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"ua",
                "unterminated quoted field at byte 71"
            ),
            (
                "1.2.3.4 - - [30/Nov/2026:03:17:37 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"ua\" extra",
                "unexpected text after the user agent at byte 73"
            ),
            (
                "1.2.3.4  - - [30/Nov/2026:03:17:37 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"ua\"",
                "expected a field at byte 8"
            ),
        ]
        for (line, detail) in cases {
            #expect(Self.outcome(line).reason == .malformed(detail), "\(line)")
        }
        #expect(FormatFixture.outcome(Self.decoder, Array("1.2.3.4 ".utf8) + [0xFF]).tag == "invalid_utf8")
    }

    @Test func conversionsAndEventTime() {
        let badTime = "1.2.3.4 - - [30/Nov/2026:25:17:37 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"ua\""
        #expect(Self.outcome(badTime).reason == .badEventTime("not a timestamp: hour 25 is out of range"))
        let badStatus = "1.2.3.4 - - [30/Nov/2026:03:17:37 +0000] \"GET / HTTP/1.1\" OK 1 \"-\" \"ua\""
        #expect(Self.outcome(badStatus).reason == .badValue(column: "status", detail: "not a number"))
        // ts in a STRING column keeps its text; unknown names are NULL; columns match in any case.
        let textual = FormatFixture.decoder(
            Schema([Field("TS", .string), Field("Status", .string), Field("host", .string)]), format: .combinedLog)
        #expect(
            FormatFixture.outcome(textual, Self.apache).row == [
                .string("10/Oct/2000:13:55:36 -0700"), .string("200"), .null,
            ])
        #expect(CombinedLogField(columnName: "User_Agent") == .userAgent)
        #expect(CombinedLogField(columnName: "host") == nil)
    }
}
