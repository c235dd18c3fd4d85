import Foundation
import Synchronization
import Testing

@testable import Wire

final class CompletionLog: Sendable {
    private let log = Mutex<[UInt32]>([])
    func append(_ value: UInt32) { log.withLock { $0.append(value) } }
    var values: [UInt32] { log.withLock { $0 } }
    var count: Int { log.withLock { $0.count } }
}

@Suite struct RPCCallTests {
    static let held: UInt16 = 2
    static let failing: UInt16 = 3
    static let crashing: UInt16 = 4
    static let notify: UInt16 = 5

    /// A server whose kind 2 echoes only once `gate` opens, so a call stays in flight until the test
    /// says so, however busy the machine is.
    func makeServer(options: RPCOptions = .patient, gate: Gate = Gate()) throws -> RPCTestServer {
        try RPCTestServer(options: options) { handlers in
            handlers.register(Self.held) { _, body in
                await gate.passed()
                return body
            }
            handlers.register(Self.failing) { _, _ in throw RPCHandlerError(.badRequest, "no thanks") }
            handlers.register(Self.crashing) { _, _ in throw CocoaError(.fileNoSuchFile) }
        }
    }

    @Test func echoRoundTripsSmallLargeAndEmptyBodies() async throws {
        let fixture = try makeServer()
        let client = try await fixture.connect()
        #expect(try await client.call(RPCTestServer.echo, Array("hello".utf8)) == Array("hello".utf8))
        let large = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(try await client.call(RPCTestServer.echo, large) == large)
        #expect(try await client.call(RPCTestServer.echo, large, checksumBody: false) == large)
        #expect(try await client.call(RPCTestServer.echo, []) == [])
        await client.close()
        await fixture.server.stop()
    }

    @Test func tenThousandConcurrentCallsOnOneConnection() async throws {
        let fixture = try makeServer()
        let client = try await fixture.connect()
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<10_000 {
                group.addTask {
                    var writer = ByteWriter()
                    writer.writeInteger(UInt64(index))
                    writer.writeInt16String("call \(index)")
                    let reply = try await client.call(RPCTestServer.echo, writer.bytes)
                    return reply == writer.bytes ? 0 : 1
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(client.callsInFlight == 0)
        await client.close()
        await fixture.server.stop()
    }

    @Test func responsesArriveOutOfOrder() async throws {
        let gate = Gate()
        let fixture = try makeServer(gate: gate)
        let client = try await fixture.connect()
        let finished = CompletionLog()
        let held = Task {
            let reply = try await client.call(Self.held, [6])
            finished.append(6)
            return reply
        }
        #expect(await eventually { client.callsInFlight == 1 })
        // Sent after the held call, answered before it.
        #expect(try await client.call(RPCTestServer.echo, [1]) == [1])
        finished.append(1)
        gate.open()
        #expect(try await held.value == [6])
        #expect(finished.values == [1, 6])
        await client.close()
        await fixture.server.stop()
    }

    /// The handler is held until after the call has ended, so only the deadline can have ended it
    /// (were deadlines broken, the gate's safety net would answer and the call would succeed).
    @Test func deadlineExpiresAndTheConnectionStaysUsable() async throws {
        let gate = Gate()
        let fixture = try makeServer(gate: gate)
        let client = try await fixture.connect()
        let started = MonotonicClock.milliseconds()
        await #expect(throws: RPCError.deadlineExceeded(ms: 100)) {
            try await client.call(Self.held, [9], timeoutMs: 100)
        }
        let elapsed = MonotonicClock.milliseconds() - started
        #expect(elapsed >= 100, "deadline fired early, after \(elapsed) ms")
        #expect(client.callsInFlight == 0)
        // The late answer to the expired call must be dropped without disturbing the connection.
        gate.open()
        #expect(try await client.call(Self.held, [7]) == [7])
        #expect(try await client.call(RPCTestServer.echo, [1]) == [1])
        await client.close()
        await fixture.server.stop()
    }

    @Test func handlerErrorsComeBackAsRemoteErrors() async throws {
        let fixture = try makeServer()
        let client = try await fixture.connect()
        await #expect(throws: RPCError.remote(.badRequest, "no thanks")) { try await client.call(Self.failing, []) }
        do {
            _ = try await client.call(Self.crashing, [])
            Issue.record("a throwing handler produced a response")
        } catch {
            guard case .remote(let code, _) = error else { throw error }
            #expect(code == .handlerFailed)
        }
        await #expect(throws: RPCError.remote(.unknownMessageKind, "no handler for message kind 999")) {
            try await client.call(999, [])
        }
        await client.close()
        await fixture.server.stop()
    }

    @Test func oversizedCallIsRefusedBeforeSending() async throws {
        var options = RPCOptions.patient
        options.frameBytesMax = 1 << 16
        let fixture = try makeServer(options: options)
        let client = try await fixture.connect(options: options)
        let body = [UInt8](repeating: 1, count: 1 << 16)
        await #expect(throws: RPCError.frameTooLarge(bytes: (1 << 16) + 32, limit: 1 << 16)) {
            try await client.call(RPCTestServer.echo, body)
        }
        #expect(try await client.call(RPCTestServer.echo, [2]) == [2])
        await client.close()
        await fixture.server.stop()
    }

    @Test func inFlightLimitRefusesExtraCalls() async throws {
        var options = RPCOptions.patient
        options.inFlightCallsMax = 2
        let gate = Gate()
        let fixture = try makeServer(gate: gate)
        let client = try await fixture.connect(options: options)
        async let first = client.call(Self.held, [1])
        async let second = client.call(Self.held, [2])
        #expect(await eventually { client.callsInFlight == 2 })
        await #expect(throws: RPCError.tooManyInFlight(limit: 2)) { try await client.call(RPCTestServer.echo, []) }
        gate.open()
        #expect(try await (first, second) == ([1], [2]))
        #expect(try await client.call(RPCTestServer.echo, [3]) == [3])
        await client.close()
        await fixture.server.stop()
    }

    @Test func oneWayMessagesAreDelivered() async throws {
        let received = Atomic<Int>(0)
        let fixture = try RPCTestServer { handlers in
            handlers.registerOneWay(Self.notify) { _, body in received.add(body.count, ordering: .relaxed) }
        }
        let client = try await fixture.connect()
        for _ in 0..<1_000 { try client.send(Self.notify, [1, 2, 3]) }
        #expect(await eventually { received.load(ordering: .relaxed) == 3_000 })
        await client.close()
        await fixture.server.stop()
    }

    @Test func serverCallsBackOverTheSameConnection() async throws {
        let fixture = try RPCTestServer { handlers in
            handlers.register(Self.notify) { context, body in
                // Ask the client for something while answering it.
                let fromClient = try await context.connection.call(7, body)
                return fromClient + fromClient
            }
        }
        let clientHandlers = RPCHandlers()
        clientHandlers.register(7) { _, body in body.map { $0 &+ 1 } }
        let client = try await fixture.connect(handlers: clientHandlers)
        #expect(try await client.call(Self.notify, [1, 2]) == [2, 3, 2, 3])
        await client.close()
        await fixture.server.stop()
    }

    /// The call is held until close() has begun, so it is certainly in flight while the connection closes.
    @Test func clientCloseLetsInFlightCallsFinish() async throws {
        let gate = Gate()
        let fixture = try makeServer(gate: gate)
        let client = try await fixture.connect()
        async let pending = client.call(Self.held, [4, 2])
        #expect(await eventually { client.callsInFlight == 1 })
        async let closing: Void = client.close()
        #expect(await eventually { client.lifecycle.withLock { $0.closeRequested } })
        await #expect(throws: RPCError.connectionClosed("connection closed locally")) {
            try await client.call(RPCTestServer.echo, [])
        }
        gate.open()
        await closing
        #expect(try await pending == [4, 2])
        #expect(client.closedReason == .connectionClosed("closed cleanly"))
        await #expect(throws: RPCError.self) { try await client.call(RPCTestServer.echo, []) }
        #expect(await eventually { fixture.server.connectionCount == 0 })
        await fixture.server.stop()
    }

    /// The handler is held until stop() has begun closing its connection, so stop() must wait for it.
    @Test func serverStopFinishesHandlersThenClosesClients() async throws {
        let gate = Gate()
        let fixture = try makeServer(gate: gate)
        let accepted = AcceptedConnections(fixture.server)
        let client = try await fixture.connect()
        async let pending = client.call(Self.held, [4, 2])
        #expect(await eventually { fixture.server.connectionCount == 1 && client.callsInFlight == 1 })
        async let stopping: Void = fixture.server.stop()
        #expect(await eventually { accepted.all.first?.lifecycle.withLock { $0.closeRequested } == true })
        #expect(client.callsInFlight == 1)
        gate.open()
        await stopping
        #expect(try await pending == [4, 2])
        #expect(await eventually { client.isClosed })
        await #expect(throws: RPCError.self) { try await client.call(RPCTestServer.echo, []) }
    }

    /// The handler is held until after the abort, so only the abort can have ended the call (its
    /// deadline is the safety net away).
    @Test func abortFailsPendingCallsAtOnce() async throws {
        let gate = Gate()
        let fixture = try makeServer(gate: gate)
        let client = try await fixture.connect()
        let pending = Task { try await client.call(Self.held, [1]) }
        #expect(await eventually { client.callsInFlight == 1 })
        client.abort(.connectionClosed("test aborted"))
        let result = await pending.result
        #expect(throws: RPCError.connectionClosed("test aborted")) { try result.get() }
        gate.open()
        await fixture.server.stop()
    }

    @Test(.dedicatedThread) func handshakeRefusesAVersionWeDoNotSpeak() throws {
        let fixture = try makeServer()
        let socket = try Socket.connect(to: fixture.address, timeoutMs: safetyNetMs)
        // A safety net: a server that never answered would otherwise leave this read blocked forever.
        try socket.setReceiveTimeout(ms: safetyNetMs)
        let hello = RPCHandshake.encodeHello(.init(versions: 7...9, name: "future"))
        try socket.writeAll(RPCFrame.encode(type: .hello, body: hello))
        var decoder = RPCFrameDecoder(frameBytesMax: 1 << 20)
        var frame: RPCFrame?
        while frame == nil {
            let count = try decoder.receive { (buffer) throws(PosixError) -> Int in
                if case .processed(let count) = try socket.read(into: buffer) { return count }
                return 0
            }
            if count == 0 { break }
            frame = try decoder.next()
        }
        #expect(frame?.header.type == .error)
        let (code, message) = RPCErrorBody.decode(frame?.body ?? [])
        #expect(code == .unsupportedVersion)
        #expect(message.contains("7-9"))
    }

    @Test func connectToNothingFailsClearly() async throws {
        let listener = try Socket.listen(on: SocketAddress(parsing: "127.0.0.1:0"))
        let address = try listener.localAddress()
        listener.close()
        await #expect(throws: RPCError.self) { try await RPCClient.connect(to: address) }
    }
}
