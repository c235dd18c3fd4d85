import Testing

@testable import Wire

/// The request `text` parses to.
private func request(_ text: String) throws -> HTTPRequest {
    guard case .request(let request, _) = try HTTPRequestParser.parse(Array(text.utf8)[...], limits: HTTPLimits())
    else { throw HTTPTestFailure("no whole request in \(text.debugDescription)") }
    return request
}

@Suite struct HTTPRouterTests {
    private var router: HTTPRouter {
        var router = HTTPRouter()
        router.handle("/api/jobs") { _ in .text("list") }
        router.handlePrefix("/api/") { request in .text("api [\(request.pathRemainder)]") }
        router.handlePrefix("/api/jobs/") { request in .text("job [\(request.pathRemainder)]") }
        return router
    }

    @Test func exactBeatsPrefixAndTheLongestPrefixWins() throws {
        let cases = [
            ("/api/jobs", "list"), ("/api/jobs/pv%2Fuv", "job [pv/uv]"), ("/api/executors", "api [executors]"),
            ("/api/jobs/", "job []"),
        ]
        for (target, body) in cases {
            let response = router.response(to: try HTTPRequest(get: target))
            #expect(response.status == .ok && String(decoding: response.body, as: UTF8.self) == body, "\(target)")
        }
        #expect(router.response(to: try HTTPRequest(get: "/apix")).status == .notFound)
    }

    @Test func methodsOtherThanGetAndHeadAre405() throws {
        let head = router.response(to: try request("HEAD /api/jobs HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(
            String(decoding: head.body, as: UTF8.self) == "list", "HEAD is answered as GET; the server drops the body")
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "get"] {
            let response = router.response(to: try request("\(method) /api/jobs HTTP/1.1\r\nHost: h\r\n\r\n"))
            #expect(response.status == .methodNotAllowed, "\(method)")
            #expect(response.headers.first?.name == "Allow" && response.headers.first?.value == "GET, HEAD")
        }
    }

    @Test func aTestRequestRefusesTargetsThatWouldSmuggleHeaders() {
        #expect(throws: HTTPParseError.self) { try HTTPRequest(get: "/x HTTP/1.1\r\nHost: other\r\n\r\nGET /y") }
        #expect(throws: HTTPParseError.self) { try HTTPRequest(get: "/a b") }
    }
}
