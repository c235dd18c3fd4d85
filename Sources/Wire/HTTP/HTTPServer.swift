import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server for status pages, JSON and metrics: GET and HEAD only, keep-alive and
/// pipelining, a thread per connection up to `HTTPLimits.connectionsMax` (more get 503), and every
/// client held to the limits and timeouts of `HTTPLimits`.
public final class HTTPServer: Sendable {
    /// The address the server listens on (with the real port when asked for port 0).
    public let address: SocketAddress
    private let router: HTTPRouter
    private let limits: HTTPLimits
    private let listener: Socket
    private let connections = Mutex(Connections())
    private let threads = DispatchGroup()
    private let requests = Atomic<Int>(0)
    private let rejections = Atomic<Int>(0)

    private struct Connections {
        var open: [Int: Socket] = [:]
        var nextId = 0
        var stopping = false
    }

    /// Listens on `address` (port 0 picks a free port) and starts serving `router`'s routes.
    public init(listeningOn address: SocketAddress, router: HTTPRouter, limits: HTTPLimits = HTTPLimits())
        throws(PosixError)
    {
        precondition(limits.connectionsMax > 0, "a server needs room for one connection")
        listener = try Socket.listen(on: address)
        self.address = try listener.localAddress()
        self.router = router
        self.limits = limits
        threads.enter()
        let thread = Thread { [self] in self.acceptLoop() }
        thread.name = "spate-http-accept"
        thread.start()
    }

    /// Connections being served right now.
    public var connectionCount: Int { connections.withLock { $0.open.count } }

    /// Requests parsed and answered since the server started (unparsable ones are not counted).
    public var requestCount: Int { requests.load(ordering: .relaxed) }

    /// Connections turned away with 503 because `connectionsMax` were already open.
    public var rejectedConnectionCount: Int { rejections.load(ordering: .relaxed) }

    /// Stops listening, cuts every connection and returns once every server thread has ended
    /// (a handler that is running finishes first). Never blocks the caller's thread. Call it once
    /// the server is no longer wanted (its threads keep it alive until then), and never from a
    /// handler, which would wait for itself.
    public func stop() async {
        let open = connections.withLock { state in
            state.stopping = true
            return Array(state.open.values)
        }
        listener.shutdown()
        for socket in open { socket.shutdown() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            threads.notify(queue: .global()) { continuation.resume() }
        }
        listener.close()
    }

    private func acceptLoop() {
        defer { threads.leave() }
        while !connections.withLock({ $0.stopping }) {
            let client: Socket
            do {
                client = try listener.accept().0
            } catch {
                if connections.withLock({ $0.stopping }) { break }
                // EMFILE and friends: back off briefly rather than spin.
                usleep(10_000)
                continue
            }
            admit(client)
        }
    }

    /// Starts a thread for `client`, or turns it away when the server is full or stopping.
    private func admit(_ client: Socket) {
        let id = connections.withLock { state -> Int? in
            guard !state.stopping, state.open.count < limits.connectionsMax else { return nil }
            state.nextId += 1
            state.open[state.nextId] = client
            return state.nextId
        }
        guard let id else {
            rejections.add(1, ordering: .relaxed)
            Self.turnAway(client)
            return
        }
        threads.enter()
        let thread = Thread { [self] in
            var connection = HTTPConnection(
                socket: client, router: router, limits: limits,
                isStopping: { [self] in connections.withLock { $0.stopping } },
                served: { [self] in _ = requests.add(1, ordering: .relaxed) })
            connection.run()
            connections.withLock { _ = $0.open.removeValue(forKey: id) }
            client.close()
            threads.leave()
        }
        thread.name = "spate-http"
        thread.stackSize = 512 << 10
        thread.start()
    }

    /// Answers 503 without waiting on the client (the accept thread must not stall), then closes.
    private static func turnAway(_ client: Socket) {
        defer { client.close() }
        var response = HTTPResponse.text("too many connections; try again shortly\n", status: .serviceUnavailable)
        response.headers = [("Retry-After", "1")]
        let bytes = response.encodedHead(keepAlive: false, version: .http11) + response.body
        guard (try? Posix.sendChunks(client.fd, [bytes], skipping: 0, blocking: false)) != nil else { return }
        client.shutdownWrite()
        // Drop what the request already sent, so closing does not answer it with a reset.
        var scratch = [UInt8](repeating: 0, count: 16 << 10)
        try? client.setNonBlocking(true)
        for _ in 0..<4 {
            let outcome = scratch.withUnsafeMutableBytes { raw in Result { try client.read(into: raw) } }
            guard case .success(.processed(let count)) = outcome, count > 0 else { return }
        }
    }
}
