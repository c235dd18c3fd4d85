import Foundation
import Testing

@testable import Wire

@Suite struct HTTPServerTests {
    @Test func routesExactPathsPrefixesAndUnknownPaths() async throws {
        let server = try startHTTPTestServer(httpTestRouter())
        let address = server.address
        let responses = try await onThread("http-routing") { () -> [HTTPTestEvent] in
            let client = try HTTPTestClient(address)
            var seen: [HTTPTestEvent] = []
            let paths = [
                "/hello", "/echo?a=1&b=x+y%21&flag", "/items/job%2042", "/items/", "/items/%CC%81x", "/nope", "/hello/",
            ]
            for path in paths {
                try client.request(path)
                seen.append(client.next())
            }
            return seen
        }
        await server.stop()
        let got = responses.map { $0.response.map { "\($0.status) \($0.text)" } ?? $0.description }
        #expect(
            got == [
                "200 hello\n", "200 GET /echo a=1;b=x y!;flag=", "200 item [job 42]", "200 item []",
                "200 item [\u{301}x]", "404 no such path: /nope\n", "404 no such path: /hello/\n",
            ])
        let hello = try #require(responses.first?.response)
        #expect(hello.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(hello.header("Content-Length") == "6")
        #expect(hello.header("Cache-Control") == "no-store")
        #expect(hello.header("Connection") == nil)
        #expect(hello.header("Date")?.hasSuffix(" GMT") == true)
    }

    @Test func keepAliveServesManyRequestsOnOneConnection() async throws {
        let server = try startHTTPTestServer(httpTestRouter())
        let address = server.address
        let bodies = try await onThread("http-keepalive") { () -> [String] in
            let client = try HTTPTestClient(address)
            return try (0..<20).map { index in
                try client.request("/echo?n=\(index)")
                return client.next().response?.text ?? "no response"
            }
        }
        #expect(bodies == (0..<20).map { "GET /echo n=\($0)" })
        #expect(server.requestCount == 20)
        await server.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try startHTTPTestServer(httpTestRouter())
        let address = server.address
        let count = 50
        let bodies = try await onThread("http-pipeline") { () -> [String] in
            let client = try HTTPTestClient(address)
            let all = (0..<count).map { "GET /items/\($0) HTTP/1.1\r\nHost: test\r\n\r\n" }.joined()
            try client.send(all)
            return (0..<count).map { _ in client.next().response?.text ?? "no response" }
        }
        await server.stop()
        #expect(bodies == (0..<count).map { "item [\($0)]" })
    }

    @Test func headSendsTheHeadersOfGetWithoutTheBody() async throws {
        let server = try startHTTPTestServer(httpTestRouter())
        let address = server.address
        let (head, after) = try await onThread("http-head") { () -> (HTTPTestEvent, HTTPTestEvent) in
            let client = try HTTPTestClient(address)
            try client.request("/hello", method: "HEAD")
            let head = client.next(head: true)
            // Had the body been sent, it would be read here as a broken status line.
            try client.request("/items/after")
            return (head, client.next())
        }
        await server.stop()
        let response = try #require(head.response, "HEAD got \(head)")
        #expect(response.status == 200)
        #expect(response.header("Content-Length") == "6")
        #expect(after.response?.text == "item [after]", "the request after HEAD got \(after)")
    }

    @Test func otherMethodsGet405WithAllowAndTheirBodyIsSkipped() async throws {
        let server = try startHTTPTestServer(httpTestRouter())
        let address = server.address
        let (post, after) = try await onThread("http-405") { () -> (HTTPTestEvent, HTTPTestEvent) in
            let client = try HTTPTestClient(address)
            try client.send("POST /hello HTTP/1.1\r\nHost: test\r\nContent-Length: 11\r\n\r\nhello world")
            let post = client.next()
            try client.request("/hello")
            return (post, client.next())
        }
        await server.stop()
        let response = try #require(post.response, "POST got \(post)")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        #expect(after.response?.text == "hello\n", "the request after the POST body got \(after)")
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() async throws {
        let server = try startHTTPTestServer(httpTestRouter())
        let address = server.address
        let outcome = try await onThread("http-10") { () -> (HTTPTestEvent, Bool, HTTPTestEvent, HTTPTestEvent) in
            let plain = try HTTPTestClient(address)
            try plain.send("GET /hello HTTP/1.0\r\n\r\n")
            let first = plain.next()
            let closed = plain.waitForClose()
            let kept = try HTTPTestClient(address)
            try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let second = kept.next()
            try kept.send("GET /items/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            return (first, closed, second, kept.next())
        }
        await server.stop()
        #expect(outcome.0.response?.header("Connection") == "close")
        #expect(outcome.1, "an HTTP/1.0 connection without keep-alive stays open")
        #expect(outcome.2.response?.header("Connection") == "keep-alive")
        #expect(outcome.3.response?.text == "item [x]")
    }

    @Test func handlerErrorsAndBadHeadersBecome500() async throws {
        struct Broken: Error {}
        var router = HTTPRouter()
        router.handle("/throws") { _ in throw Broken() }
        router.handle("/bad-header") { _ in
            HTTPResponse(contentType: "text/plain", body: [], headers: [("X-Id", "a\r\nSet-Cookie: x=1")])
        }
        let server = try startHTTPTestServer(router)
        let address = server.address
        let statuses = try await onThread("http-500") { () -> [Int] in
            let client = try HTTPTestClient(address)
            return try ["/throws", "/bad-header"].map { path in
                try client.request(path)
                return client.next().response?.status ?? 0
            }
        }
        await server.stop()
        #expect(statuses == [500, 500])
    }
}
