import Foundation
import Synchronization
import Testing

@testable import Wire

/// A frame as the hostile tests parse it from the wire, with their own code rather than
/// `RPCFrameDecoder`, so a decoder bug cannot hide a server bug.
struct RawFrame: Equatable, CustomStringConvertible {
    var type: UInt8
    var flags: UInt16
    var messageKind: UInt16
    var correlationId: UInt64
    var body: [UInt8]

    /// The error code and message of an error frame, nil if the body is not one.
    var errorBody: (code: RPCErrorCode, message: String)? {
        var reader = ByteReader(body)
        guard let code = try? reader.readUInt16(), let message = try? reader.readInt16String(), reader.isAtEnd else {
            return nil
        }
        return (RPCErrorCode(rawValue: code), message)
    }

    var description: String {
        if type == RPCFrameType.error.rawValue, let (code, message) = errorBody {
            return "error(id \(correlationId), \(code): \(message))"
        }
        return "frame(type \(type), kind \(messageKind), id \(correlationId), \(body.count) bytes)"
    }
}

/// One observation of what the peer sent.
enum RawEvent: CustomStringConvertible {
    case frame(RawFrame)
    /// End of stream (or a reset, or a read error) with no partial frame buffered.
    case closed
    /// End of stream with this many bytes of an unfinished frame buffered.
    case closedMidFrame(Int)
    case timedOut
    /// The peer sent bytes that are not a valid frame.
    case garbled(String)

    var description: String {
        switch self {
        case .frame(let frame): return frame.description
        case .closed: return "end of stream"
        case .closedMidFrame(let count): return "end of stream after \(count) bytes of a frame"
        case .timedOut: return "nothing before the deadline"
        case .garbled(let why): return "garbled bytes: \(why)"
        }
    }
}

/// A test failure with a readable reason.
struct HostileFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A hand-driven socket: writes any bytes at all and parses whatever comes back itself. Used from
/// one thread at a time (never from the cooperative pool, whose threads the server's handlers need).
final class RawPeer {
    let socket: Socket
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    init(socket: Socket) { self.socket = socket }

    convenience init(connectingTo address: SocketAddress) throws {
        self.init(socket: try Socket.connect(to: address, timeoutMs: safetyNetMs))
    }

    func write(_ bytes: [UInt8]) throws { try socket.writeAll(bytes) }

    /// Writes `bytes` in random pieces of 1...`pieceBytesMax` bytes, one system call each. The cuts
    /// are drawn before writing, so a write the server cuts short leaves `rng` where a replay expects it.
    func writeInPieces(_ bytes: [UInt8], pieceBytesMax: Int, using rng: inout BytesTestRandom) throws {
        var cuts: [Int] = []
        var offset = 0
        while offset < bytes.count {
            offset = min(bytes.count, offset + Int.random(in: 1...pieceBytesMax, using: &rng))
            cuts.append(offset)
        }
        var start = 0
        for end in cuts {
            try socket.writeAll(Array(bytes[start..<end]))
            start = end
        }
    }

    /// Sends a hello and checks the helloAck that must answer it.
    func handshake(name: String = "raw") throws {
        try write(HostileBytes.hello(name: name))
        let event = next(timeoutMs: safetyNetMs)
        guard case .frame(let ack) = event, ack.type == RPCFrameType.helloAck.rawValue, ack.correlationId == 0 else {
            throw HostileFailure("handshake: expected helloAck, got \(event)")
        }
        var reader = ByteReader(ack.body)
        guard (try? reader.readUInt16()) == 1, (try? reader.readInt16String()) != nil, reader.isAtEnd else {
            throw HostileFailure("handshake: malformed helloAck body \(ack.body)")
        }
    }

    /// The next frame or end of stream, waiting at most `timeoutMs`.
    func next(timeoutMs: Int) -> RawEvent {
        let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMs)
        while true {
            if let parsed = parseBuffered() { return parsed }
            let remainingMs = Int(deadline) - Int(MonotonicClock.milliseconds())
            guard remainingMs > 0, (try? socket.poll(events: Int16(POLLIN), timeoutMs: remainingMs)) == true else {
                return .timedOut
            }
            let count = scratch.withUnsafeMutableBytes { raw -> Int in
                guard case .processed(let count) = try? socket.read(into: raw) else { return 0 }
                return count
            }
            if count == 0 { return buffer.isEmpty ? .closed : .closedMidFrame(buffer.count) }
            buffer.append(contentsOf: scratch[0..<count])
        }
    }

    /// Reads until end of stream; returns the frames seen on the way, or fails after the safety net.
    func framesUntilClosed(timeoutMs: Int = safetyNetMs) -> Result<[RawFrame], HostileFailure> {
        let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMs)
        var frames: [RawFrame] = []
        while true {
            let remainingMs = max(1, Int(deadline) - Int(MonotonicClock.milliseconds()))
            switch next(timeoutMs: remainingMs) {
            case .frame(let frame): frames.append(frame)
            case .closed: return .success(frames)
            case let other: return .failure(HostileFailure("after \(frames) expected end of stream, got \(other)"))
            }
        }
    }

    private func parseBuffered() -> RawEvent? {
        guard buffer.count >= RPCFrameHeader.byteCount else { return nil }
        var reader = ByteReader(buffer)
        do {
            let magic = try reader.readUInt32()
            let version = try reader.readUInt8()
            let type = try reader.readUInt8()
            let flags = try reader.readUInt16()
            let kind = try reader.readUInt16()
            _ = try reader.readUInt16()
            let id = try reader.readUInt64()
            let bodyLength = Int(try reader.readUInt32())
            let bodyCRC = try reader.readUInt32()
            let headerCRC = try reader.readUInt32()
            guard magic == HostileBytes.magic, version == 1 else {
                return .garbled("magic \(magic) version \(version)")
            }
            guard headerCRC == CRC32C.checksum(buffer, range: 0..<28) else { return .garbled("header CRC") }
            guard buffer.count >= 32 + bodyLength else { return nil }
            let body = Array(buffer[32..<32 + bodyLength])
            let omitted = flags & RPCFrameHeader.flagBodyChecksumOmitted != 0
            guard bodyCRC == (omitted ? 0 : CRC32C.checksum(body)) else { return .garbled("body CRC") }
            buffer.removeFirst(32 + bodyLength)
            return .frame(RawFrame(type: type, flags: flags, messageKind: kind, correlationId: id, body: body))
        } catch {
            return .garbled("\(error)")
        }
    }
}

/// Hand-built frames, laid out from the header diagram rather than with `RPCFrameHeader.encode`.
enum HostileBytes {
    static let magic: UInt32 = 0x5350_5445

    /// A 32-byte header whose header CRC is right for whatever fields it is given.
    static func header(
        magic: UInt32 = magic, version: UInt8 = 1, type: UInt8, flags: UInt16 = 0, kind: UInt16 = 0, id: UInt64 = 0,
        bodyLength: UInt32, bodyCRC: UInt32
    ) -> [UInt8] {
        var writer = ByteWriter(capacity: 32)
        writer.writeInteger(magic)
        writer.writeInteger(version)
        writer.writeInteger(type)
        writer.writeInteger(flags)
        writer.writeInteger(kind)
        writer.writeInteger(UInt16(0))
        writer.writeInteger(id)
        writer.writeInteger(bodyLength)
        writer.writeInteger(bodyCRC)
        writer.writeInteger(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// A well-formed frame.
    static func frame(_ type: RPCFrameType, kind: UInt16 = 0, id: UInt64 = 0, body: [UInt8] = [], flags: UInt16 = 0)
        -> [UInt8]
    {
        let omitted = flags & RPCFrameHeader.flagBodyChecksumOmitted != 0
        let crc = omitted ? 0 : CRC32C.checksum(body)
        return header(
            type: type.rawValue, flags: flags, kind: kind, id: id, bodyLength: UInt32(body.count), bodyCRC: crc)
            + body
    }

    /// A hello offering version 1 only.
    static func hello(name: String) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(UInt16(1))
        writer.writeInteger(UInt16(1))
        writer.writeInt16String(name)
        return frame(.hello, body: writer.bytes)
    }

    /// An error frame body: code u16, then an int16-length message.
    static func errorBody(_ code: RPCErrorCode, _ message: String) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(code.rawValue)
        writer.writeInt16String(message)
        return writer.bytes
    }
}

/// Blocking socket work on its own thread, started at once (even while the pool is busy). Blocking
/// a cooperative thread instead would starve the server's handler tasks.
final class ThreadTask<T: Sendable>: Sendable {
    private enum State {
        case running
        case awaited(CheckedContinuation<T, any Error>)
        case done(Result<T, any Error>)
    }

    private let state = Mutex<State>(.running)

    init(_ name: String, _ body: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in self.finish(Result { try body() }) }
        thread.name = name
        thread.start()
    }

    private func finish(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
            defer { state = .done(result) }
            if case .awaited(let waiter) = state { return waiter }
            return nil
        }
        waiter?.resume(with: result)
    }

    /// What the body returned or threw, once it has.
    var value: T {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let done = state.withLock { state -> Result<T, any Error>? in
                    if case .done(let result) = state { return result }
                    state = .awaited(continuation)
                    return nil
                }
                if let done { continuation.resume(with: done) }
            }
        }
    }
}

/// Runs `body` on its own thread and waits for it.
func onThread<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await ThreadTask(name, body).value
}

/// A flag one task sets and others poll.
final class HostileFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// Checks that `frames` is exactly one connection-level error with `code` whose message contains `words`.
func expectConnectionError(_ frames: [RawFrame], _ code: RPCErrorCode, mentioning words: String) -> HostileFailure? {
    guard frames.count == 1, let frame = frames.first, frame.type == RPCFrameType.error.rawValue,
        frame.correlationId == 0, let (found, message) = frame.errorBody
    else { return HostileFailure("expected one error frame with id 0, got \(frames)") }
    guard found == code, message.contains(words) else {
        return HostileFailure("expected \(code) mentioning '\(words)', got \(found): \(message)")
    }
    return nil
}

/// A server played by hand on a raw socket, to show the client things a real server never sends.
struct FakeRPCServer: Sendable {
    let listener: Socket
    let address: SocketAddress

    init() throws {
        listener = try Socket.listen(on: SocketAddress(parsing: "127.0.0.1:0"))
        address = try listener.localAddress()
    }

    /// On its own thread: accepts one connection, answers its hello with a valid helloAck, then
    /// runs `script` on it and closes it.
    func serveOne<T: Sendable>(_ script: @escaping @Sendable (RawPeer) throws -> T) -> ThreadTask<T> {
        let listener = listener
        return ThreadTask("fake-rpc-server") {
            defer { listener.close() }
            guard try listener.poll(events: Int16(POLLIN), timeoutMs: safetyNetMs) else {
                throw HostileFailure("fake server: nobody connected")
            }
            let peer = RawPeer(socket: try listener.accept().0)
            defer { peer.socket.close() }
            let event = peer.next(timeoutMs: safetyNetMs)
            guard case .frame(let hello) = event, hello.type == RPCFrameType.hello.rawValue else {
                throw HostileFailure("fake server: expected hello, got \(event)")
            }
            var ack = ByteWriter()
            ack.writeInteger(UInt16(1))
            ack.writeInt16String("fake")
            try peer.write(HostileBytes.frame(.helloAck, body: ack.bytes))
            return try script(peer)
        }
    }
}

/// Every connection a server accepted, in order.
final class AcceptedConnections: Sendable {
    private let list = Mutex<[RPCConnection]>([])

    init(_ server: RPCServer) {
        server.onConnection { [self] connection in list.withLock { $0.append(connection) } }
    }

    var all: [RPCConnection] { list.withLock { $0 } }
}
