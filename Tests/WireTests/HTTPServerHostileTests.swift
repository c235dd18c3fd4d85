import Foundation
import Testing

@testable import Wire

@Suite struct HTTPServerHostileTests {
    /// Each broken limit gets its status and a close, while a keep-alive bystander is served
    /// before, between and after them on its one connection.
    @Test func everyLimitGetsItsStatusAndACloseWhileOthersAreServed() async throws {
        let server = try startHTTPTestServer(httpTestRouter())
        let address = server.address
        let header1KiB = "X-Pad: " + String(repeating: "p", count: 1_017) + "\r\n"
        let cases: [(String, Int)] = [
            ("GET /" + String(repeating: "a", count: 9_000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
            ("GET /hello HTTP/1.1\r\nHost: t\r\n" + String(repeating: "X-A: b\r\n", count: 70) + "\r\n", 431),
            ("GET /hello HTTP/1.1\r\nHost: t\r\n" + String(repeating: header1KiB, count: 20) + "\r\n", 431),
            ("GET /hello HTTP/1.1\r\nHost: t\r\nX-Long: " + String(repeating: "v", count: 9_000) + "\r\n\r\n", 431),
            ("GET /hello HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n", 413),
            ("GET /hello HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411),
            ("GET /hello HTTP/1.1\r\n\r\n", 400),
            ("GET /hello HTTP/3.0\r\nHost: t\r\n\r\n", 505),
        ]
        let outcomes = try await onThread("http-limits") { () -> [String] in
            let bystander = try HTTPTestClient(address)
            var outcomes: [String] = []
            for (request, expected) in cases {
                try bystander.request("/hello")
                if bystander.next().response?.status != 200 { outcomes.append("bystander not served") }
                let hostile = try HTTPTestClient(address)
                try? hostile.send(request)
                let event = hostile.next()
                let closing = event.response?.header("Connection") == "close"
                let closed = hostile.waitForClose()
                let status = event.response?.status
                if status != expected || !closing || !closed {
                    outcomes.append("expected \(expected) and a close, got \(event), closed: \(closed)")
                }
            }
            try bystander.request("/hello")
            if bystander.next().response?.status != 200 { outcomes.append("bystander not served at the end") }
            return outcomes
        }
        await server.stop()
        #expect(outcomes.isEmpty, "\(outcomes)")
    }

    @Test func garbageGets400AndAClose() async throws {
        let server = try startHTTPTestServer(httpTestRouter())
        let address = server.address
        var rng = BytesTestRandom(seed: BytesTestRandom.seed(0x6A7B))
        // Random bytes without line feeds, then a blank line: a complete head that is no request line.
        let garbage = (0..<20).map { _ in
            rng.bytes(Int.random(in: 1...400, using: &rng)).map { $0 == 0x0A ? 0x20 : $0 } + Array("\r\n\r\n".utf8)
        }
        let outcomes = try await onThread("http-garbage") { () -> [String] in
            try garbage.compactMap { bytes in
                let client = try HTTPTestClient(address)
                try? client.send(bytes)
                let event = client.next()
                let closed = client.waitForClose()
                return event.response?.status == 400 && closed ? nil : "\(bytes.prefix(16)): \(event), closed \(closed)"
            }
        }
        await server.stop()
        #expect(outcomes.isEmpty, "seed \(BytesTestRandom.seed(0x6A7B)): \(outcomes)")
    }

    /// A client that sends half a request and stalls, and one that trickles a byte at a time, are
    /// both cut off once the request timeout passes (the deadline covers the whole request).
    @Test func slowClientsAreCutOffAfterTheRequestTimeout() async throws {
        var limits = HTTPLimits()
        limits.requestTimeoutMs = 300
        let server = try startHTTPTestServer(httpTestRouter(), limits: limits)
        let address = server.address
        let stalled = try await onThread("http-stall") { () -> (HTTPTestEvent, Bool) in
            let client = try HTTPTestClient(address)
            try client.send("GET /hello HTTP/1.1\r\nHost: te")
            return (client.next(), client.waitForClose())
        }
        #expect(stalled.0.response?.status == 408, "a stalled request got \(stalled.0)")
        #expect(stalled.1)
        let trickleCutOff = try await onThread("http-trickle") { () -> Bool in
            let client = try HTTPTestClient(address)
            let endless = Array("GET /hello HTTP/1.1\r\nHost: test\r\n".utf8) + [UInt8](repeating: 0x61, count: 60_000)
            let safetyDeadline = MonotonicClock.milliseconds() + 30_000
            for byte in endless where MonotonicClock.milliseconds() < safetyDeadline {
                guard (try? client.send([byte])) != nil else { return true }
                if (try? client.socket.poll(events: Int16(POLLIN), timeoutMs: 20)) == true {
                    return client.waitForClose()
                }
            }
            return false
        }
        #expect(trickleCutOff, "a client trickling one byte every 20 ms was never cut off")
        await server.stop()
    }

    /// Past `connectionsMax`, new connections get 503 and a close; once a slot frees, service resumes.
    @Test func aConnectionFloodBeyondTheLimitGets503() async throws {
        var limits = patientHTTPLimits()
        limits.connectionsMax = 4
        let server = try startHTTPTestServer(httpTestRouter(), limits: limits)
        let address = server.address
        let held = try await onThread("http-flood-hold") { () -> [HTTPTestClient] in
            try (0..<4).map { _ in
                let client = try HTTPTestClient(address)
                try client.request("/hello")
                guard client.next().response?.status == 200 else { throw HTTPTestFailure("a held client failed") }
                return client
            }
        }
        let turnedAway = try await onThread("http-flood") { () -> [String] in
            try (0..<6).compactMap { _ in
                let client = try HTTPTestClient(address)
                try? client.request("/hello")
                let event = client.next()
                let closed = client.waitForClose()
                let ok = event.response?.status == 503 && event.response?.header("Connection") == "close" && closed
                return ok ? nil : "\(event), closed \(closed)"
            }
        }
        #expect(turnedAway.isEmpty, "\(turnedAway)")
        #expect(server.rejectedConnectionCount == 6)
        held[0].socket.shutdown()
        #expect(await eventually(timeoutMs: 30_000) { server.connectionCount == 3 })
        let resumed = try await onThread("http-flood-after") { () -> Int? in
            let client = try HTTPTestClient(address)
            try client.request("/hello")
            return client.next().response?.status
        }
        #expect(resumed == 200)
        await server.stop()
        withExtendedLifetime(held) {}
    }

    /// stop() returns while clients sit idle, mid-request and freshly connected, and they all see the end.
    @Test func stopReturnsWhileClientsAreConnected() async throws {
        let server = try startHTTPTestServer(httpTestRouter())
        let address = server.address
        let clients = try await onThread("http-stop-setup") { () -> [HTTPTestClient] in
            let idle = try HTTPTestClient(address)
            try idle.request("/hello")
            guard idle.next().response?.status == 200 else { throw HTTPTestFailure("idle client not served") }
            let partial = try HTTPTestClient(address)
            try partial.send("GET /hello HTTP/1.1\r\nHo")
            let fresh = try HTTPTestClient(address)
            return [idle, partial, fresh]
        }
        #expect(await eventually(timeoutMs: 30_000) { server.connectionCount == 3 })
        await server.stop()
        #expect(server.connectionCount == 0)
        let closed = try await onThread("http-stop-check") { clients.map { $0.waitForClose() } }
        #expect(closed == [true, true, true])
        let refused = try await onThread("http-stop-refused") { () -> Bool in
            (try? HTTPTestClient(address)) == nil
        }
        #expect(refused, "the listener still accepts after stop()")
    }
}
