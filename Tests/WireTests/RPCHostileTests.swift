import Foundation
import Testing

@testable import Wire

/// Single hostile peers against a live server: each must be refused the documented way while the
/// server keeps serving everyone else.
@Suite struct RPCHostileTests {
    static let frameBytesMax = 1 << 20

    static func smallFrameOptions() -> RPCOptions {
        var options = RPCOptions.patient
        options.frameBytesMax = frameBytesMax
        return options
    }

    /// Connects a raw peer (handshake first if `handshake`), writes `bytes`, and returns every frame
    /// the server sends until it closes the connection.
    static func framesAfterSending(_ bytes: [UInt8], to address: SocketAddress, handshake: Bool) async throws
        -> [RawFrame]
    {
        try await onThread("hostile-peer") {
            let peer = try RawPeer(connectingTo: address)
            defer { peer.socket.close() }
            if handshake { try peer.handshake() }
            try peer.write(bytes)
            return try peer.framesUntilClosed().get()
        }
    }

    @Test func oversizedFrameIsRefusedAndOnlyItsConnectionCloses() async throws {
        let fixture = try RPCTestServer(options: Self.smallFrameOptions())
        let bystander = try await fixture.connect(options: Self.smallFrameOptions())
        let limit = UInt32(Self.frameBytesMax - RPCFrameHeader.byteCount)
        for bodyLength in [limit + 1, limit + 1_000, UInt32.max] {
            let header = HostileBytes.header(
                type: RPCFrameType.request.rawValue, kind: RPCTestServer.echo, id: 1, bodyLength: bodyLength,
                bodyCRC: 0)
            let frames = try await Self.framesAfterSending(header, to: fixture.address, handshake: true)
            #expect(expectConnectionError(frames, .frameTooLarge, mentioning: "exceeds") == nil, "\(frames)")
            #expect(try await bystander.call(RPCTestServer.echo, [4, 5]) == [4, 5])
        }
        // The largest frame allowed still goes through, both ways.
        let largest = [UInt8](repeating: 0xA5, count: Int(limit))
        #expect(try await bystander.call(RPCTestServer.echo, largest) == largest)
        #expect(await eventually { fixture.server.connectionCount == 1 })
        await bystander.close()
        await fixture.server.stop()
    }

    @Test func clientRefusesItsOwnOversizedBodyWithoutSendingIt() async throws {
        let fake = try FakeRPCServer()
        let small: [UInt8] = [1, 2, 3]
        let served = fake.serveOne { peer in
            var frames: [RawFrame] = []
            // Everything the client sends, until it hangs up.
            while case .frame(let frame) = peer.next(timeoutMs: safetyNetMs) {
                frames.append(frame)
                if frame.type == RPCFrameType.request.rawValue {
                    try peer.write(
                        HostileBytes.frame(
                            .response, kind: frame.messageKind, id: frame.correlationId, body: frame.body))
                }
            }
            return frames
        }
        var options = RPCOptions.patient
        options.frameBytesMax = 64 * 1024
        let client = try await RPCClient.connect(to: fake.address, options: options)
        let oversized = [UInt8](repeating: 1, count: options.frameBytesMax - RPCFrameHeader.byteCount + 1)
        await #expect(throws: RPCError.frameTooLarge(bytes: options.frameBytesMax + 1, limit: options.frameBytesMax)) {
            try await client.call(RPCTestServer.echo, oversized)
        }
        #expect(throws: RPCError.frameTooLarge(bytes: options.frameBytesMax + 1, limit: options.frameBytesMax)) {
            try client.send(RPCTestServer.echo, oversized)
        }
        #expect(try await client.call(RPCTestServer.echo, small) == small)
        #expect(client.callsInFlight == 0)
        client.abort(.connectionClosed("test over"))
        let frames = try await served.value
        // Only the small request ever reached the wire.
        #expect(frames.map(\.body) == [small], "\(frames)")
    }

    @Test func responseAboveTheClientLimitClosesTheClientNotTheServer() async throws {
        let fixture = try RPCTestServer { handlers in
            handlers.register(2) { _, _ in [UInt8](repeating: 3, count: 100_000) }
        }
        var options = RPCOptions.patient
        options.frameBytesMax = 64 * 1024
        let client = try await fixture.connect(options: options)
        await #expect {
            try await client.call(2, [])
        } throws: { error in
            guard case RPCError.connectionClosed(let why) = error else { return false }
            return why.contains("exceeds")
        }
        #expect(await eventually { fixture.server.connectionCount == 0 })
        let other = try await fixture.connect()
        #expect(try await other.call(RPCTestServer.echo, [8]) == [8])
        await other.close()
        await fixture.server.stop()
    }

    /// The close comes from the configured connect timeout: not before it, and while a server
    /// configured with a long one still holds its own silent peer (and then still takes its hello).
    @Test func silentConnectionIsClosedAfterTheConnectTimeout() async throws {
        var options = RPCOptions.patient
        options.connectTimeoutMs = 200
        let fixture = try RPCTestServer(options: options)
        let patient = try RPCTestServer()
        let (address, patientAddress) = (fixture.address, patient.address)
        let (frames, elapsedMs, patientEvent) = try await onThread("silent-peers") {
            let patientPeer = try RawPeer(connectingTo: patientAddress)
            defer { patientPeer.socket.close() }
            let peer = try RawPeer(connectingTo: address)
            defer { peer.socket.close() }
            let started = MonotonicClock.milliseconds()
            let frames = try peer.framesUntilClosed().get()
            let elapsedMs = MonotonicClock.milliseconds() - started
            let patientEvent = patientPeer.next(timeoutMs: 0)
            try patientPeer.handshake()
            return (frames, elapsedMs, patientEvent)
        }
        #expect(frames.isEmpty, "\(frames)")
        #expect(elapsedMs >= 150, "closed early, after \(elapsedMs) ms")
        guard case .timedOut = patientEvent else {
            Issue.record("the server with the long connect timeout closed its silent peer too: \(patientEvent)")
            return
        }
        #expect(await eventually { fixture.server.connectionCount == 0 })
        await fixture.server.stop()
        await patient.server.stop()
    }

    /// A peer that trickles its hello a byte every 50 ms must not stretch the handshake past the
    /// connect timeout of 1 s: a timer restarted by each read would never fire, and the hello
    /// (over 400 bytes, so 20 s of trickling) would be accepted. So the server must hang up part-way.
    @Test func tricklingHelloIsClosedAfterTheConnectTimeout() async throws {
        var options = RPCOptions.patient
        options.connectTimeoutMs = 1_000
        let fixture = try RPCTestServer(options: options)
        let address = fixture.address
        let hello = HostileBytes.hello(name: String(repeating: "slow", count: 100))
        let (sentBytes, closedAfterMs) = try await onThread("trickling-peer") { () -> (Int, UInt64?) in
            let peer = try RawPeer(connectingTo: address)
            defer { peer.socket.close() }
            let started = MonotonicClock.milliseconds()
            for (index, byte) in hello.enumerated() {
                let elapsedMs = { MonotonicClock.milliseconds() - started }
                guard (try? peer.write([byte])) != nil else { return (index, elapsedMs()) }
                if case .closed = peer.next(timeoutMs: 50) { return (index + 1, elapsedMs()) }
            }
            return (hello.count, nil)
        }
        let closedMs = try #require(closedAfterMs, "the server accepted a hello trickled over 20 s")
        #expect(sentBytes < hello.count)
        #expect(closedMs >= 900, "closed early, after \(closedMs) ms")
        await fixture.server.stop()
    }

    @Test(arguments: [RPCFrameType.request, .oneWay])
    func callBeforeTheHandshakeIsAProtocolViolation(_ type: RPCFrameType) async throws {
        let fixture = try RPCTestServer()
        let frame = HostileBytes.frame(type, kind: RPCTestServer.echo, id: 5, body: [1, 2])
        let frames = try await Self.framesAfterSending(frame, to: fixture.address, handshake: false)
        #expect(
            expectConnectionError(frames, .protocolViolation, mentioning: "before the handshake") == nil, "\(frames)")
        #expect(await eventually { fixture.server.connectionCount == 0 })
        await fixture.server.stop()
    }

    static let foreignGreetings: [[UInt8]] = [
        Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8),
        // A Kafka ApiVersions request: a size prefix, where Spate expects its magic.
        [0, 0, 0, 0x23, 0, 0x12, 0, 3, 0, 0, 0, 1, 0, 9, 0x61, 0x64, 0x6D, 0x69, 0x6E, 0x63, 0x6C, 0x69]
            + [UInt8](repeating: 0, count: 16),
        // The start of a TLS ClientHello.
        [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03] + [UInt8](repeating: 0x42, count: 40),
    ]

    @Test(arguments: foreignGreetings) func nonSpateClientIsRefused(_ greeting: [UInt8]) async throws {
        let fixture = try RPCTestServer()
        let frames = try await Self.framesAfterSending(greeting, to: fixture.address, handshake: false)
        #expect(expectConnectionError(frames, .badFrame, mentioning: "magic") == nil, "\(frames)")
        #expect(await eventually { fixture.server.connectionCount == 0 })
        await fixture.server.stop()
    }

    /// The connection-level error must go out even while handlers are still writing responses.
    @Test func fatalFrameBehindPipelinedRequestsStillGetsItsError() async throws {
        let fixture = try RPCTestServer()
        let address = fixture.address
        for round in 0..<20 {
            var bytes: [UInt8] = []
            for id in 1...64 {
                bytes += HostileBytes.frame(
                    .request, kind: RPCTestServer.echo, id: UInt64(id),
                    body: [UInt8](repeating: UInt8(id), count: 4_096))
            }
            bytes += Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
            let frames = try await Self.framesAfterSending(bytes, to: address, handshake: true)
            let connectionLevel = frames.filter { $0.correlationId == 0 }
            let failure = expectConnectionError(connectionLevel, .badFrame, mentioning: "magic")
            #expect(
                failure == nil,
                "round \(round), after \(frames.count - connectionLevel.count) echoes: \(String(describing: failure))")
            if failure != nil { break }
        }
        await fixture.server.stop()
    }
}
