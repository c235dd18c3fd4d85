import Foundation
import Synchronization

/// Accepts Spate RPC connections and serves them with its handlers; each connection gets a reader
/// thread (measured as fast as epoll for the few dozen connections a driver or executor holds).
public final class RPCServer: Sendable {
    /// The handlers every accepted connection uses.
    public let handlers: RPCHandlers
    let options: RPCOptions
    private let listener = Mutex<Socket?>(nil)
    private let connections = Mutex<[ObjectIdentifier: RPCConnection]>([:])
    private let acceptObserver = Mutex<(@Sendable (RPCConnection) -> Void)?>(nil)
    private let stopped = Atomic<Bool>(false)

    /// A server with `options` and an empty handler table.
    public init(options: RPCOptions = RPCOptions(), handlers: RPCHandlers = RPCHandlers()) {
        self.options = options
        self.handlers = handlers
    }

    /// Calls `observer` for every new connection once its handshake has been received.
    public func onConnection(_ observer: @escaping @Sendable (RPCConnection) -> Void) {
        acceptObserver.withLock { $0 = observer }
    }

    /// Starts listening on `address` (port 0 picks one); returns the bound address.
    public func start(on address: SocketAddress) throws(PosixError) -> SocketAddress {
        let socket = try Socket.listen(on: address)
        let bound = try socket.localAddress()
        listener.withLock { $0 = socket }
        let thread = Thread { [self] in self.acceptLoop(socket) }
        thread.name = "spate-rpc-accept"
        thread.start()
        return bound
    }

    /// Connections currently open.
    public var connectionCount: Int { connections.withLock { $0.count } }

    private func acceptLoop(_ socket: Socket) {
        while !stopped.load(ordering: .acquiring) {
            let accepted: (Socket, SocketAddress)
            do {
                accepted = try socket.accept()
            } catch {
                if stopped.load(ordering: .acquiring) { break }
                // EMFILE and friends: back off briefly rather than spin.
                usleep(10_000)
                continue
            }
            let (client, peer) = accepted
            try? client.setReceiveTimeout(ms: options.connectTimeoutMs)
            let connection = RPCConnection(
                socket: client, peer: peer, role: .server, options: options, handlers: handlers)
            let key = ObjectIdentifier(connection)
            connections.withLock { $0[key] = connection }
            connection.onClose { [weak self] _ in self?.connections.withLock { _ = $0.removeValue(forKey: key) } }
            acceptObserver.withLock { $0 }?(connection)
            connection.start(decoder: RPCFrameDecoder(frameBytesMax: options.frameBytesMax))
        }
        socket.close()
    }

    /// Stops accepting, closes every connection cleanly (in-flight handlers finish first), and
    /// returns when all are gone or `closeTimeoutMs` has passed.
    public func stop() async {
        if stopped.exchange(true, ordering: .acquiringAndReleasing) { return }
        listener.withLock { $0 }?.shutdown()
        let open = connections.withLock { Array($0.values) }
        await withTaskGroup(of: Void.self) { group in
            for connection in open { group.addTask { await connection.close() } }
        }
    }
}
