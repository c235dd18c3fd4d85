import Testing

@testable import Wire

/// Parses `text` whole with default limits.
private func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) throws(HTTPParseError) -> HTTPParseResult {
    try HTTPRequestParser.parse(Array(text.utf8)[...], limits: limits)
}

/// The status `text` is refused with, or nil if it parses (or needs more).
private func refusal(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Int? {
    do {
        _ = try parse(text, limits: limits)
        return nil
    } catch {
        return error.status.code
    }
}

@Suite struct HTTPRequestParserTests {
    @Test func parsesARequestWithQueryHeadersAndBody() throws {
        let text =
            "GET /api/jobs/a%20b?x=1&y=two+words&z=%F0%9F%8C%8A&flag HTTP/1.1\r\nHost: localhost:4040\r\n"
            + "Accept:  text/html \r\nX-Many: 1\r\nx-many: 2\r\nContent-Length: 3\r\n\r\nabcGET"
        guard case .request(let request, let consumed) = try parse(text) else {
            Issue.record("no request")
            return
        }
        #expect(consumed == text.utf8.count - 3)
        #expect(request.method == "GET")
        #expect(request.target == "/api/jobs/a%20b?x=1&y=two+words&z=%F0%9F%8C%8A&flag")
        #expect(request.path == "/api/jobs/a b")
        #expect(
            request.query == [
                HTTPQueryItem(name: "x", value: "1"), HTTPQueryItem(name: "y", value: "two words"),
                HTTPQueryItem(name: "z", value: "🌊"), HTTPQueryItem(name: "flag", value: ""),
            ])
        #expect(request.queryValue("y") == "two words")
        #expect(request.version == .http11)
        #expect(request.headers["ACCEPT"] == "text/html")
        #expect(request.headers.values("X-Many") == ["1", "2"])
        #expect(request.bodyBytes == 3)
        #expect(request.keepAlive)
    }

    @Test func acceptsTheFormsRFC9112Allows() throws {
        let cases: [(String, String, Bool)] = [
            ("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", "/", true),
            ("GET /bare-lf HTTP/1.1\nHost: h\n\n", "/bare-lf", true),
            ("GET http://example.com:80/abs?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", "/abs", true),
            ("GET HTTP://example.com HTTP/1.1\r\nHost: h\r\n\r\n", "/", true),
            ("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "*", true),
            ("GET /ten HTTP/1.0\r\n\r\n", "/ten", false),
            ("GET /ten HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", "/ten", true),
            ("GET /close HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n", "/close", false),
            ("GET /len HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\n\r\nok", "/len", true),
        ]
        for (text, path, keepAlive) in cases {
            guard case .request(let request, let consumed) = try parse(text) else {
                Issue.record("\(text.debugDescription) did not parse")
                continue
            }
            #expect(request.path == path, "\(text.debugDescription)")
            #expect(request.keepAlive == keepAlive, "\(text.debugDescription)")
            #expect(consumed == text.utf8.count, "\(text.debugDescription)")
        }
    }

    @Test func refusesMalformedRequestsWithTheRightStatus() {
        let cases: [(String, Int)] = [
            ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400),
            ("GET /\r\nHost: h\r\n\r\n", 400),
            ("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET / HTTX/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
            ("GET / HTTP/1.12\r\nHost: h\r\n\r\n", 400),
            ("GET abc HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET /a%4 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET /a%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET /a%0A HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET /a%C3%28 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET /a?q=%ED%A0%80 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET /\u{7F} HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET /é HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\n: empty\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{0}b\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            ("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 16385\r\n\r\n", 413),
            ("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
            ("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 411),
            ("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
            ("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400),
            ("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ]
        for (text, status) in cases {
            #expect(refusal(text) == status, "\(text.debugDescription)")
        }
    }

    /// Each limit holds exactly: at the limit parses, one byte (or field) past it is refused.
    @Test func limitsAreExact() throws {
        var limits = HTTPLimits()
        limits.requestLineBytesMax = 40
        limits.headerLineBytesMax = 30
        limits.headerCountMax = 3
        limits.headBytesMax = 120
        func line(_ length: Int) -> String { "GET /" + String(repeating: "a", count: length - 14) + " HTTP/1.1" }
        func header(_ length: Int) -> String { "X: " + String(repeating: "v", count: length - 3) }
        #expect(refusal(line(40) + "\r\nHost: h\r\n\r\n", limits: limits) == nil)
        #expect(refusal(line(41) + "\r\nHost: h\r\n\r\n", limits: limits) == 414)
        #expect(refusal(line(41), limits: limits) == 414, "an unfinished long line is refused before its end")
        #expect(refusal(line(40) + "\r", limits: limits) == nil, "a CR awaiting its LF is not content")
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\n" + header(30) + "\r\n\r\n", limits: limits) == nil)
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\n" + header(31) + "\r\n\r\n", limits: limits) == 431)
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\n" + header(31), limits: limits) == 431)
        let three = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n"
        #expect(refusal(three + "\r\n", limits: limits) == nil)
        #expect(refusal(three + "C: 3\r\n\r\n", limits: limits) == 431)
        // A request line of 20 bytes and three header lines of 30, each with its CRLF, and the blank line: 120.
        let headers =
            "Host: " + String(repeating: "h", count: 24) + "\r\n" + header(30) + "\r\n" + header(30) + "\r\n\r\n"
        let exact = "GET /pppppp HTTP/1.1\r\n" + headers
        #expect(exact.utf8.count == 120)
        #expect(refusal(exact, limits: limits) == nil)
        #expect(refusal("GET /ppppppp HTTP/1.1\r\n" + headers, limits: limits) == 431)
        #expect(refusal(String(repeating: "\r\n", count: 60), limits: limits) == nil)
        #expect(refusal(String(repeating: "\r\n", count: 61), limits: limits) == 431, "blank lines count too")
    }

    /// Fed one byte at a time, a request is "need more data" until its last byte, then the same
    /// request; a bad one is refused with the same status as when parsed whole.
    @Test func oneByteAtATimeAgreesWithParsingWhole() throws {
        let samples = [
            "GET /a?b=c HTTP/1.1\r\nHost: h\r\nX: y\r\n\r\n",
            "GET /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n12345",
            "GET /c HTTP/1.1\nHost: h\n\n",
            "\r\nGET /d HTTP/1.0\r\n\r\n",
            "GET /e HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n",
            "GET /" + String(repeating: "x", count: 300) + " HTTP/1.1\r\n\r\n",
            "GET /g HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "y", count: 300) + "\r\n\r\n",
            "GET /f HTTP/9.9\r\nHost: h\r\n\r\n",
        ]
        var limits = HTTPLimits()
        limits.requestLineBytesMax = 200
        limits.headerLineBytesMax = 200
        for sample in samples {
            let bytes = Array(sample.utf8)
            let whole = Result { () throws(HTTPParseError) in
                try HTTPRequestParser.parse(bytes[...], limits: limits)
            }
            var outcome: Result<HTTPParseResult, HTTPParseError> = .success(.needMoreData)
            var fedBytes = 0
            while fedBytes < bytes.count, case .success(.needMoreData) = outcome {
                fedBytes += 1
                outcome = Result { () throws(HTTPParseError) in
                    try HTTPRequestParser.parse(bytes[..<fedBytes], limits: limits)
                }
            }
            switch (whole, outcome) {
            case (.success(let expected), .success(let got)):
                #expect(got == expected, "\(sample.prefix(40).debugDescription)")
                #expect(fedBytes == bytes.count, "a request was found before its last byte")
            case (.failure(let expected), .failure(let got)):
                #expect(got.status == expected.status, "\(sample.prefix(40).debugDescription)")
            default:
                Issue.record("whole \(whole), one byte at a time \(outcome) for \(sample.prefix(40).debugDescription)")
            }
        }
    }

    /// A stream of pipelined requests cut at random places and parsed as a connection would (append,
    /// parse until "need more", drop what was consumed) yields exactly the requests sent.
    @Test func randomChunkSplitsYieldTheSameRequests() throws {
        let seed = BytesTestRandom.seed(0x4854_5450)
        var rng = BytesTestRandom(seed: seed)
        for _ in 0..<200 {
            let count = Int.random(in: 1...8, using: &rng)
            let paths = (0..<count).map { _ in "/p\(Int.random(in: 0..<1000, using: &rng))" }
            let bodies = (0..<count).map { _ in Int.random(in: 0...3, using: &rng) == 0 ? "body" : "" }
            let stream = zip(paths, bodies).map { path, body in
                "GET \(path)?k=v HTTP/1.1\r\nHost: h\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            }.joined()
            let bytes = Array(stream.utf8)
            var buffer: [UInt8] = []
            var found: [String] = []
            var offset = 0
            while offset < bytes.count {
                let next = min(bytes.count, offset + Int.random(in: 1...64, using: &rng))
                buffer += bytes[offset..<next]
                offset = next
                while case .request(let request, let consumed) = try HTTPRequestParser.parse(
                    buffer[...], limits: HTTPLimits())
                {
                    found.append(request.path)
                    buffer.removeFirst(consumed)
                }
            }
            #expect(found == paths, "seed \(seed)")
            #expect(buffer.isEmpty, "seed \(seed)")
        }
    }

    /// Random bytes and random mutations of a valid request never trap, and a parsed request never
    /// claims more bytes than it was given. On its own thread: it is seconds of CPU in a debug build.
    @Test func hostileBytesNeverTrap() async throws {
        let seed = BytesTestRandom.seed(0xBAD_B17E)
        let failures = try await onThread("http-parser-fuzz") { () -> [String] in
            var rng = BytesTestRandom(seed: seed)
            var failures: [String] = []
            for round in 0..<10_000 {
                let bytes = round % 2 == 0 ? rng.bytes(Int.random(in: 0...300, using: &rng)) : mutatedRequest(&rng)
                if case .success(.request(_, let consumed)) = Result(catching: { () throws(HTTPParseError) in
                    try HTTPRequestParser.parse(bytes[...], limits: HTTPLimits())
                }), consumed > bytes.count {
                    failures.append("round \(round): consumed \(consumed) of \(bytes.count) bytes")
                }
            }
            return failures
        }
        #expect(failures.isEmpty, "seed \(seed): \(failures)")
    }
}

/// A valid request with a few bytes replaced, inserted or removed, drawn from the bytes HTTP cares about.
private func mutatedRequest(_ rng: inout BytesTestRandom) -> [UInt8] {
    var bytes = Array("GET /a%20b?c=d+e HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".utf8)
    let alphabet = Array(" \r\n:%?&=+/#\t\u{0}HTTP/1.GETContent-Length0123456789".utf8)
    for _ in 0..<Int.random(in: 1...6, using: &rng) where !bytes.isEmpty {
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: bytes[at] = byte
        case 1: bytes.insert(byte, at: at)
        default: bytes.remove(at: at)
        }
    }
    return bytes
}
