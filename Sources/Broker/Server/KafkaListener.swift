import Dispatch
import Foundation
import Synchronization
import Wire

/// Accepts connections and runs each on a thread of its own (a thread per connection was measured
/// as fast as epoll for the few dozen connections Kafka clients open; see Wire/RPC).
final class KafkaListener: Sendable {
    private struct Registry {
        var sockets: [UInt64: Socket] = [:]
        var nextId: UInt64 = 1
        var stopping = false
    }

    let socket: Socket
    let core: BrokerCore
    private let registry = Mutex(Registry())
    /// Entered by the accept thread and by every connection thread.
    private let threads = DispatchGroup()

    init(socket: Socket, core: BrokerCore) {
        self.socket = socket
        self.core = core
    }

    /// Connections open now.
    var openConnections: Int { registry.withLock { $0.sockets.count } }

    /// Starts the accept thread.
    func start() {
        threads.enter()
        let thread = Thread { [self] in
            acceptLoop()
            threads.leave()
        }
        thread.name = "spate-broker-accept"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    private func acceptLoop() {
        defer { socket.close() }
        while !registry.withLock({ $0.stopping }) {
            let accepted: (Socket, SocketAddress)
            do {
                accepted = try socket.accept()
            } catch {
                if registry.withLock({ $0.stopping }) { return }
                // EMFILE and friends: back off briefly rather than spin.
                usleep(10_000)
                continue
            }
            serve(accepted.0, peer: accepted.1)
        }
    }

    private func serve(_ client: Socket, peer: SocketAddress) {
        let id = registry.withLock { registry -> UInt64? in
            guard !registry.stopping, registry.sockets.count < core.config.connectionsMax else { return nil }
            let id = registry.nextId
            registry.nextId += 1
            registry.sockets[id] = client
            return id
        }
        guard let id else {
            core.config.eventLog?("refused \(peer): \(core.config.connectionsMax) connections are open")
            return client.close()
        }
        core.counters.acceptedConnections.add(1, ordering: .relaxed)
        // The idle timeout is the only receive timeout: a blocking read gives up after it.
        try? client.setReceiveTimeout(ms: core.config.connectionIdleTimeoutMs)
        let connection = KafkaConnection(socket: client, peer: peer, core: core)
        threads.enter()
        let thread = Thread { [self] in
            connection.run()
            registry.withLock { _ = $0.sockets.removeValue(forKey: id) }
            threads.leave()
        }
        thread.name = "spate-broker-conn"
        thread.stackSize = 512 * 1024
        thread.start()
    }

    /// Stops accepting and shuts every connection down (waking threads blocked in reads), then
    /// waits up to `timeoutMs` for every thread to finish; returns false if some did not.
    func stop(timeoutMs: Int) -> Bool {
        let open = registry.withLock { registry -> [Socket] in
            registry.stopping = true
            return Array(registry.sockets.values)
        }
        socket.shutdown()
        for client in open { client.shutdown() }
        return threads.wait(timeout: .now() + .milliseconds(timeoutMs)) == .success
    }
}
