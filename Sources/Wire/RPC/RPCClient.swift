import Foundation

/// Opens client connections: TCP connect, then the version handshake, then a live `RPCConnection`.
public enum RPCClient {
    /// Connects to `address` and completes the handshake; `handlers` serve calls the server makes back.
    public static func connect(
        to address: SocketAddress, options: RPCOptions = RPCOptions(), handlers: RPCHandlers = RPCHandlers()
    ) async throws(RPCError) -> RPCConnection {
        try await connect(options: options, handlers: handlers) { address }
    }

    /// Connects to "host:port", resolving the host name on the connecting thread (DNS may block).
    public static func connect(
        to address: String, options: RPCOptions = RPCOptions(), handlers: RPCHandlers = RPCHandlers()
    ) async throws(RPCError) -> RPCConnection {
        try await connect(options: options, handlers: handlers) { () throws(RPCError) -> SocketAddress in
            do throws(SocketAddress.ParseError) {
                return try SocketAddress(parsing: address)
            } catch {
                throw .connectFailed(error.description)
            }
        }
    }

    private static func connect(
        options: RPCOptions, handlers: RPCHandlers, resolve: @escaping @Sendable () throws(RPCError) -> SocketAddress
    ) async throws(RPCError) -> RPCConnection {
        // Resolving blocks as long as DNS takes, connecting and the handshake up to connectTimeoutMs:
        // all of it stays off the shared pool.
        let outcome = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    returning: Result { () throws(RPCError) in
                        let address = try resolve()
                        let (socket, decoder, peerName) = try open(address, options)
                        return (address, socket, decoder, peerName)
                    })
            }
            thread.name = "spate-rpc-connect"
            thread.start()
        }
        let (address, socket, decoder, peerName) = try outcome.get()
        let connection = RPCConnection(
            socket: socket, peer: address, role: .client, options: options, handlers: handlers)
        connection.peerName.withLock { $0 = peerName }
        connection.start(decoder: decoder)
        return connection
    }

    static func open(_ address: SocketAddress, _ options: RPCOptions) throws(RPCError)
        -> (Socket, RPCFrameDecoder, String)
    {
        let socket: Socket
        do {
            socket = try Socket.connect(to: address, timeoutMs: options.connectTimeoutMs)
        } catch {
            throw .connectFailed("\(address): \(error)")
        }
        var decoder = RPCFrameDecoder(frameBytesMax: options.frameBytesMax)
        let peerName = try handshake(socket, &decoder, options)
        return (socket, decoder, peerName)
    }

    /// Sends hello and reads the answer synchronously, before the reader thread exists.
    static func handshake(_ socket: Socket, _ decoder: inout RPCFrameDecoder, _ options: RPCOptions) throws(RPCError)
        -> String
    {
        let hello = RPCHandshake.Hello(versions: RPCHandshake.versions, name: options.name)
        let deadline = MonotonicClock.milliseconds() + UInt64(options.connectTimeoutMs)
        do {
            try socket.writeAll(RPCFrame.encode(type: .hello, body: RPCHandshake.encodeHello(hello)))
            while true {
                if let frame = try decoder.next() { return try interpretAck(frame) }
                let remainingMs = Int(deadline) - Int(MonotonicClock.milliseconds())
                guard remainingMs > 0, try socket.poll(events: Int16(1), timeoutMs: remainingMs) else {
                    throw RPCError.handshakeFailed("no answer to hello within \(options.connectTimeoutMs) ms")
                }
                let count = try decoder.receive { (buffer) throws(PosixError) -> Int in
                    if case .processed(let count) = try socket.read(into: buffer) { return count }
                    return -1
                }
                if count == 0 { throw RPCError.handshakeFailed("server closed the connection during the handshake") }
            }
        } catch let error as RPCError {
            throw error
        } catch {
            throw .handshakeFailed(String(describing: error))
        }
    }

    static func interpretAck(_ frame: RPCFrame) throws(RPCError) -> String {
        switch frame.header.type {
        case .helloAck:
            guard let ack = try? RPCHandshake.decodeAck(frame.body), RPCHandshake.versions.contains(ack.version) else {
                throw .handshakeFailed("server chose a protocol version this build does not speak")
            }
            return ack.name
        case .error:
            let (code, message) = RPCErrorBody.decode(frame.body)
            throw .handshakeFailed("server refused: \(code): \(message)")
        default:
            throw .handshakeFailed("expected helloAck, got \(frame.header.type)")
        }
    }
}
