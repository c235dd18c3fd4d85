import Query
import Synchronization
import Wire

/// RPC connections to other executors' shuffle servers, opened on first use, shared by every task,
/// and dropped when a call on them fails (the next fetch reconnects).
final class PeerConnections: Sendable {
    private let connections = Mutex<[String: RPCConnection]>([:])
    private let options: RPCOptions
    private let secret: String?

    init(options: RPCOptions, secret: String?) {
        self.options = options
        self.secret = secret
    }

    /// Calls `kind` with `body` on the shuffle server at `address`, connecting if needed.
    func call(_ address: String, _ kind: ClusterMessageKind, _ body: [UInt8], timeoutMs: Int) async throws -> [UInt8] {
        let connection = try await connection(to: address)
        do {
            return try await connection.call(kind.rawValue, body, timeoutMs: timeoutMs)
        } catch {
            drop(address, connection)
            throw error
        }
    }

    private func connection(to address: String) async throws -> RPCConnection {
        if let open = connections.withLock({ $0[address] }), !open.isClosed { return open }
        let fresh = try await RPCClient.connect(to: address, options: options)
        if let secret {
            do {
                try await ClusterAuth.authenticate(fresh, secret: secret, timeoutMs: options.connectTimeoutMs)
            } catch {
                fresh.abort(.connectionClosed("authentication failed"))
                throw error
            }
        }
        let (chosen, spare) = connections.withLock { connections -> (RPCConnection, RPCConnection?) in
            if let open = connections[address], !open.isClosed { return (open, fresh) }
            connections[address] = fresh
            return (fresh, nil)
        }
        if let spare { await spare.close() }
        return chosen
    }

    private func drop(_ address: String, _ connection: RPCConnection) {
        let removed = connections.withLock { connections -> Bool in
            guard connections[address] === connection else { return false }
            connections[address] = nil
            return true
        }
        if removed { connection.abort(.connectionClosed("dropped after a failed shuffle fetch")) }
    }

    /// Closes every connection.
    func closeAll() async {
        let all = connections.withLock { connections in
            defer { connections = [:] }
            return Array(connections.values)
        }
        for connection in all { await connection.close() }
    }
}
