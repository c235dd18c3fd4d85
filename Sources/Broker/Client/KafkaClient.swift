import Synchronization
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// Spate's Kafka client: metadata, topics, offsets, fetches and group offsets against `spate broker`
/// or any Kafka cluster. Every method is synchronous and may block its calling thread on the
/// network, so call it from your own thread (an executor's task thread), never from Swift's
/// cooperative pool; `KafkaClient.offPool` runs a closure on a fresh thread for async callers.
/// Thread-safe: one client is meant to be shared by every thread of a process.
public final class KafkaClient: Sendable {
    /// The settings in use.
    public let config: KafkaClientConfig
    /// The bootstrap brokers, with negative placeholder node ids.
    public let bootstrapNodes: [BrokerNode]
    let pool: ConnectionPool
    let cache = Mutex(MetadataCache())
    let coordinators = Mutex<[String: BrokerNode]>([:])
    let localReads = LocalReadFiles()

    /// A client for `config`; nothing is connected until the first request.
    public init(_ config: KafkaClientConfig) throws(KafkaClientError) {
        if let problem = config.problem { throw .invalidConfig(problem) }
        var nodes: [BrokerNode] = []
        for (index, text) in config.bootstrapServers.enumerated() {
            let (host, port) = try Self.parseAddress(text)
            nodes.append(BrokerNode(nodeId: -1 - Int32(index), host: host, port: port))
        }
        self.config = config
        self.bootstrapNodes = nodes
        self.pool = ConnectionPool(config: config)
    }

    /// A client for one `host:port` with default settings.
    public convenience init(bootstrap: String, clientId: String = "spate") throws(KafkaClientError) {
        try self.init(KafkaClientConfig(bootstrap: bootstrap, clientId: clientId))
    }

    deinit { pool.closeAll() }

    /// Closes every connection; later calls fail with `.closed`.
    public func close() { pool.closeAll() }

    /// The large response-frame arrays this client keeps for reuse.
    public var frameBuffers: FrameBufferPool { pool.frames }

    /// Hands back a fetched answer's frame (`FetchedPartition.buffer`) once nothing points into it
    /// any more, so a later large response reuses its memory instead of mapping fresh pages.
    public func recycleFrame(_ buffer: consuming [UInt8]) { pool.frames.giveBack(buffer) }

    /// Splits `host:port` or `[v6]:port` without resolving the host (that happens on connect).
    public static func parseAddress(_ text: String) throws(KafkaClientError) -> (host: String, port: Int32) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .badAddress(text, reason: "expected HOST:PORT") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .badAddress(text, reason: "expected HOST:PORT") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let port = Int32(portText), (1...65535).contains(port) else {
            throw .badAddress(text, reason: "the port must be a number in 1...65535")
        }
        return (String(host), port)
    }

    // MARK: requests

    /// Sends `message` to `node` over the shared `lane` connection and waits for the response.
    func call<Message: KafkaRequestMessage>(
        _ message: Message, to node: BrokerNode, lane: ConnectionLane = .control, timeoutMs: Int? = nil
    ) throws(KafkaClientError) -> Message.Response {
        let connection = try pool.connection(to: node, lane: lane)
        return try connection.call(message, timeoutMs: timeoutMs ?? config.requestTimeoutMs)
    }

    /// Sends `message` to the first broker that answers: known brokers first, then the bootstrap list.
    func callAnyBroker<Message: KafkaRequestMessage>(_ message: Message) throws(KafkaClientError)
        -> (node: BrokerNode, response: Message.Response)
    {
        var lastFailure: KafkaClientError?
        for node in candidateNodes() {
            do throws(KafkaClientError) {
                return (node, try call(message, to: node))
            } catch {
                guard error.isConnectionFailure else { throw error }
                lastFailure = error
            }
        }
        throw lastFailure ?? .invalidConfig("no broker to ask")
    }

    /// Brokers to try for cluster-wide requests, most likely to answer first.
    func candidateNodes() -> [BrokerNode] {
        let known = cache.withLock { cache in cache.brokers.values.sorted { $0.nodeId < $1.nodeId } }
        let knownAddresses = Set(known.map(\.address))
        return known + bootstrapNodes.filter { !knownAddresses.contains($0.address) }
    }

    /// Runs `body` again after a pause while it fails with a retriable error, up to `config.retries`
    /// extra attempts; `onRetry` runs before each pause (to drop stale metadata, say).
    func retrying<Value>(
        onRetry: (KafkaClientError) -> Void = { _ in }, _ body: () throws(KafkaClientError) -> Value
    ) throws(KafkaClientError) -> Value {
        var backoffMs = config.retryBackoffMs
        var attempt = 0
        while true {
            do throws(KafkaClientError) {
                return try body()
            } catch {
                guard error.isRetriable, attempt < config.retries else { throw error }
                attempt += 1
                onRetry(error)
                usleep(UInt32(min(backoffMs, 10_000)) * 1000)
                backoffMs = min(backoffMs * 2, config.retryBackoffMaxMs)
            }
        }
    }
}
