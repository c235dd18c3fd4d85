import Synchronization

/// Which traffic a shared connection carries, so that one kind never queues behind another: a broker
/// answers one request at a time per connection (G8), so a produce stream must not wait behind a
/// metadata call, nor a metadata call behind a batch of produce requests.
enum ConnectionLane: Hashable, Sendable {
    /// Metadata, ListOffsets, CreateTopics, FindCoordinator and offset commits and fetches.
    case control
    /// Produce requests, pipelined.
    case produce
}

/// The connections of one client: one per (broker, lane), opened on first use and replaced after a
/// failure, plus a stock of exclusive connections for long-poll fetches, checked out per call so
/// that concurrent fetches never wait behind one another.
final class ConnectionPool: Sendable {
    private struct Key: Hashable {
        let address: String
        let lane: ConnectionLane
    }

    private struct Shared {
        var lanes: [Key: BrokerConnection] = [:]
        var idleFetch: [String: [BrokerConnection]] = [:]
        var isClosed = false
    }

    let config: KafkaClientConfig
    /// Large frame arrays every connection of this client reuses.
    let frames: FrameBufferPool
    private let shared = Mutex(Shared())

    init(config: KafkaClientConfig) {
        self.config = config
        frames = FrameBufferPool(bytesMax: config.frameReuseBytesMax)
    }

    /// The live shared connection to `node` for `lane`, opening one if needed.
    func connection(to node: BrokerNode, lane: ConnectionLane) throws(KafkaClientError) -> BrokerConnection {
        let key = Key(address: node.address, lane: lane)
        let existing = shared.withLock { state -> Result<BrokerConnection?, KafkaClientError> in
            if state.isClosed { return .failure(.closed("the Kafka client")) }
            guard let connection = state.lanes[key] else { return .success(nil) }
            if connection.failure == nil { return .success(connection) }
            state.lanes[key] = nil
            return .success(nil)
        }
        if let connection = try existing.get() { return connection }
        let fresh = try BrokerConnection.open(node, config: config, frames: frames)
        let chosen = shared.withLock { state -> BrokerConnection? in
            if state.isClosed { return nil }
            // Another thread may have connected meanwhile; keep the first so the lane stays one socket.
            if let other = state.lanes[key], other.failure == nil { return other }
            state.lanes[key] = fresh
            return fresh
        }
        guard let chosen else {
            fresh.close()
            throw .closed("the Kafka client")
        }
        if chosen !== fresh { fresh.close() }
        return chosen
    }

    /// A connection to `node` used by this caller alone until `checkIn`.
    func checkOutFetch(_ node: BrokerNode) throws(KafkaClientError) -> BrokerConnection {
        let idle = shared.withLock { state -> Result<BrokerConnection?, KafkaClientError> in
            if state.isClosed { return .failure(.closed("the Kafka client")) }
            while let connection = state.idleFetch[node.address]?.popLast() {
                if connection.failure == nil { return .success(connection) }
            }
            return .success(nil)
        }
        if let connection = try idle.get() { return connection }
        return try BrokerConnection.open(node, config: config, frames: frames)
    }

    /// Returns a fetch connection for reuse, or closes it if it failed or the stock is full.
    func checkIn(_ connection: BrokerConnection) {
        let kept = shared.withLock { state -> Bool in
            guard !state.isClosed, connection.failure == nil, connection.inFlightCount == 0 else { return false }
            var stock = state.idleFetch[connection.node.address] ?? []
            guard stock.count < config.idleFetchConnectionsMax else { return false }
            stock.append(connection)
            state.idleFetch[connection.node.address] = stock
            return true
        }
        if !kept { connection.close() }
    }

    /// Forgets (and closes) the shared connections to `address`, e.g. after the broker moved.
    func drop(address: String) {
        let victims = shared.withLock { state -> [BrokerConnection] in
            let keys = state.lanes.keys.filter { $0.address == address }
            var victims = keys.compactMap { state.lanes.removeValue(forKey: $0) }
            victims += state.idleFetch.removeValue(forKey: address) ?? []
            return victims
        }
        for connection in victims { connection.close() }
    }

    /// Closes every connection; later requests fail with `.closed`.
    func closeAll() {
        let victims = shared.withLock { state -> [BrokerConnection] in
            state.isClosed = true
            defer {
                state.lanes = [:]
                state.idleFetch = [:]
            }
            return Array(state.lanes.values) + state.idleFetch.values.flatMap { $0 }
        }
        for connection in victims { connection.close() }
    }
}
