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
    static let slow: UInt16 = 2
    static let failing: UInt16 = 3
    static let crashing: UInt16 = 4
    static let notify: UInt16 = 5

    /// Kind 2 sleeps for the number of milliseconds in its 4-byte body, then echoes it.
    static func slowHandler(_ context: RPCRequestContext, _ body: [UInt8]) async throws -> [UInt8] {
        var reader = ByteReader(body)
        let ms = try reader.readUInt32()
        try await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
        return body
    }

    static func millis(_ ms: UInt32) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(ms)
        return writer.bytes
    }

    func makeServer(options: RPCOptions = RPCOptions()) throws -> RPCTestServer {
        try RPCTestServer(options: options) { handlers in
            handlers.register(Self.slow, Self.slowHandler)
            handlers.register(Self.failing) { _, _ in throw RPCHandlerError(.badRequest, "no thanks") }
            handlers.register(Self.crashing) { _, _ in throw CocoaError(.fileNoSuchFile) }
        }
    }

    @Test func echoRoundTripsSmallLargeAndEmptyBodies() async throws {
        let fixture = try makeServer()
        let client = try await RPCClient.connect(to: fixture.address)
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
        let client = try await RPCClient.connect(to: fixture.address)
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
        let gate = Atomic<Bool>(false)
        let fixture = try RPCTestServer { handlers in
            // Kind 6 answers only once the test opens the gate.
            handlers.register(6) { _, body in
                _ = await eventually(timeoutMs: 10_000) { gate.load(ordering: .acquiring) }
                return body
            }
        }
        let client = try await RPCClient.connect(to: fixture.address)
        let finished = CompletionLog()
        let held = Task {
            let reply = try await client.call(6, [6])
            finished.append(6)
            return reply
        }
        #expect(await eventually { client.callsInFlight == 1 })
        // Sent after the held call, answered before it.
        #expect(try await client.call(RPCTestServer.echo, [1]) == [1])
        finished.append(1)
        gate.store(true, ordering: .releasing)
        #expect(try await held.value == [6])
        #expect(finished.values == [1, 6])
        await client.close()
        await fixture.server.stop()
    }

    @Test func deadlineExpiresAndTheConnectionStaysUsable() async throws {
        let fixture = try makeServer()
        let client = try await RPCClient.connect(to: fixture.address)
        let started = MonotonicClock.milliseconds()
        await #expect(throws: RPCError.deadlineExceeded(ms: 100)) {
            try await client.call(Self.slow, Self.millis(2_000), timeoutMs: 100)
        }
        let elapsed = MonotonicClock.milliseconds() - started
        #expect(elapsed >= 100 && elapsed < 1_500, "deadline fired after \(elapsed) ms")
        #expect(try await client.call(RPCTestServer.echo, [1]) == [1])
        await client.close()
        await fixture.server.stop()
    }

    @Test func handlerErrorsComeBackAsRemoteErrors() async throws {
        let fixture = try makeServer()
        let client = try await RPCClient.connect(to: fixture.address)
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
        var options = RPCOptions()
        options.frameBytesMax = 1 << 16
        let fixture = try makeServer(options: options)
        let client = try await RPCClient.connect(to: fixture.address, options: options)
        let body = [UInt8](repeating: 1, count: 1 << 16)
        await #expect(throws: RPCError.frameTooLarge(bytes: (1 << 16) + 32, limit: 1 << 16)) {
            try await client.call(RPCTestServer.echo, body)
        }
        #expect(try await client.call(RPCTestServer.echo, [2]) == [2])
        await client.close()
        await fixture.server.stop()
    }

    @Test func inFlightLimitRefusesExtraCalls() async throws {
        var options = RPCOptions()
        options.inFlightCallsMax = 2
        let fixture = try makeServer()
        let client = try await RPCClient.connect(to: fixture.address, options: options)
        async let first = client.call(Self.slow, Self.millis(300))
        async let second = client.call(Self.slow, Self.millis(300))
        #expect(await eventually { client.callsInFlight == 2 })
        await #expect(throws: RPCError.tooManyInFlight(limit: 2)) { try await client.call(RPCTestServer.echo, []) }
        _ = try await (first, second)
        await client.close()
        await fixture.server.stop()
    }

    @Test func oneWayMessagesAreDelivered() async throws {
        let received = Atomic<Int>(0)
        let fixture = try RPCTestServer { handlers in
            handlers.registerOneWay(Self.notify) { _, body in received.add(body.count, ordering: .relaxed) }
        }
        let client = try await RPCClient.connect(to: fixture.address)
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
        let client = try await RPCClient.connect(to: fixture.address, handlers: clientHandlers)
        #expect(try await client.call(Self.notify, [1, 2]) == [2, 3, 2, 3])
        await client.close()
        await fixture.server.stop()
    }

    @Test func clientCloseLetsInFlightCallsFinish() async throws {
        let fixture = try makeServer()
        let client = try await RPCClient.connect(to: fixture.address)
        async let pending = client.call(Self.slow, Self.millis(200))
        #expect(await eventually { client.callsInFlight == 1 })
        await client.close()
        #expect(try await pending == Self.millis(200))
        #expect(client.closedReason == .connectionClosed("closed cleanly"))
        await #expect(throws: RPCError.self) { try await client.call(RPCTestServer.echo, []) }
        #expect(await eventually { fixture.server.connectionCount == 0 })
        await fixture.server.stop()
    }

    @Test func serverStopFinishesHandlersThenClosesClients() async throws {
        let fixture = try makeServer()
        let client = try await RPCClient.connect(to: fixture.address)
        async let pending = client.call(Self.slow, Self.millis(200))
        #expect(await eventually { fixture.server.connectionCount == 1 && client.callsInFlight == 1 })
        await fixture.server.stop()
        #expect(try await pending == Self.millis(200))
        #expect(await eventually { client.isClosed })
        await #expect(throws: RPCError.self) { try await client.call(RPCTestServer.echo, []) }
    }

    @Test func abortFailsPendingCallsAtOnce() async throws {
        let fixture = try makeServer()
        let client = try await RPCClient.connect(to: fixture.address)
        let pending = Task { try await client.call(Self.slow, Self.millis(5_000)) }
        #expect(await eventually { client.callsInFlight == 1 })
        client.abort(.connectionClosed("test aborted"))
        let result = await pending.result
        #expect(throws: RPCError.connectionClosed("test aborted")) { try result.get() }
        await fixture.server.stop()
    }

    @Test func handshakeRefusesAVersionWeDoNotSpeak() throws {
        let fixture = try makeServer()
        let socket = try Socket.connect(to: fixture.address)
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
