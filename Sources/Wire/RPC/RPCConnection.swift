import Foundation
import Synchronization

/// One Spate RPC connection. Either side may call the other: many calls share the connection,
/// responses come back in any order, and each call has a deadline. A dedicated thread reads
/// (so a slow handler never stalls reading) and writers coalesce through `FrameWriteQueue`.
public final class RPCConnection: Sendable {
    enum Role: Sendable {
        case client
        case server
    }

    struct Pending {
        let continuation: UnsafeContinuation<Result<[UInt8], RPCError>, Never>
        let deadlineNs: UInt64
        let timeoutMs: Int
    }

    struct CallTable {
        var calls: [UInt64: Pending] = [:]
        var earliestDeadlineNs: UInt64 = .max
        var refusal: RPCError?
    }

    struct Lifecycle {
        var handshakeDone: Bool
        var handlersInFlight = 0
        var goodbyeSent = false
        var goodbyeReceived = false
        var closeRequested = false
        var abortReason: RPCError?
        var closedReason: RPCError?
        var closeObservers: [@Sendable (RPCError) -> Void] = []
    }

    /// The remote address.
    public let peer: SocketAddress
    let role: Role
    let socket: Socket
    let options: RPCOptions
    let handlers: RPCHandlers
    let writer: FrameWriteQueue
    let calls = Mutex(CallTable())
    let lifecycle: Mutex<Lifecycle>
    let nextCorrelationId = Atomic<UInt64>(1)
    let peerName = Mutex("")
    /// When a server connection still without a hello is cut off (the receive timeout alone restarts per read).
    let handshakeDeadlineMs: UInt64

    init(socket: Socket, peer: SocketAddress, role: Role, options: RPCOptions, handlers: RPCHandlers) {
        self.socket = socket
        self.peer = peer
        self.role = role
        self.options = options
        self.handlers = handlers
        self.writer = FrameWriteQueue(socket: socket)
        self.lifecycle = Mutex(Lifecycle(handshakeDone: role == .client))
        self.handshakeDeadlineMs = MonotonicClock.milliseconds() + UInt64(max(0, options.connectTimeoutMs))
    }

    /// The name the peer gave in the handshake.
    public var remoteName: String { peerName.withLock { $0 } }

    /// True once the connection has ended, cleanly or not.
    public var isClosed: Bool { lifecycle.withLock { $0.closedReason != nil } }

    /// Why the connection ended, once it has.
    public var closedReason: RPCError? { lifecycle.withLock { $0.closedReason } }

    /// Calls `observer` once when the connection ends (at once if it already has).
    public func onClose(_ observer: @escaping @Sendable (RPCError) -> Void) {
        let already = lifecycle.withLock { state -> RPCError? in
            if let reason = state.closedReason { return reason }
            state.closeObservers.append(observer)
            return nil
        }
        if let already { observer(already) }
    }

    /// Starts the reader and service threads; `decoder` may hold bytes read already.
    func start(decoder: RPCFrameDecoder) {
        let reader = Thread { [self] in self.readLoop(decoder) }
        reader.name = "spate-rpc-read"
        reader.stackSize = 512 * 1024
        reader.start()
        let service = Thread { [self] in self.serviceLoop() }
        service.name = "spate-rpc-service"
        service.stackSize = 256 * 1024
        service.start()
    }
}
