/// Settings of a `KafkaClient`; defaults follow Kafka's Java client where it has one.
public struct KafkaClientConfig: Sendable {
    /// `host:port` of brokers to ask for metadata first (`bootstrap.servers`).
    public var bootstrapServers: [String]
    /// Sent in every request header.
    public var clientId: String
    /// How long a TCP connect plus the ApiVersions handshake may take.
    public var connectTimeoutMs: Int
    /// How long a request may wait for its response (a Fetch adds its max_wait_ms).
    public var requestTimeoutMs: Int
    /// Extra attempts for a request that failed with a retriable error.
    public var retries: Int
    /// First pause before a retry; it doubles per attempt up to `retryBackoffMaxMs`.
    public var retryBackoffMs: Int
    /// Longest pause between retries.
    public var retryBackoffMaxMs: Int
    /// Cached topic metadata older than this is refreshed before use (`metadata.max.age.ms`).
    public var metadataMaxAgeMs: Int
    /// Largest response frame accepted; a larger one closes the connection.
    public var responseBytesMax: Int
    /// Idle fetch connections kept per broker for reuse.
    public var idleFetchConnectionsMax: Int
    /// Capacity in bytes of large response-frame arrays kept for reuse once handed back
    /// (`KafkaClient.recycleFrame`); 0 keeps none.
    public var frameReuseBytesMax: Int
    /// Single-partition fetches read the record batches straight from the leader's segment files
    /// when it shares this host's filesystem (checked by a host token), falling back to Fetch.
    public var localReads: Bool

    /// A configuration for `bootstrapServers` with default timings.
    public init(bootstrapServers: [String], clientId: String = "spate") {
        self.bootstrapServers = bootstrapServers
        self.clientId = clientId
        connectTimeoutMs = 5_000
        requestTimeoutMs = 30_000
        retries = 8
        retryBackoffMs = 100
        retryBackoffMaxMs = 1_000
        metadataMaxAgeMs = 300_000
        responseBytesMax = 256 << 20
        idleFetchConnectionsMax = 8
        frameReuseBytesMax = 128 << 20
        localReads = false
    }

    /// A configuration for one bootstrap broker.
    public init(bootstrap: String, clientId: String = "spate") {
        self.init(bootstrapServers: [bootstrap], clientId: clientId)
    }

    /// Why this configuration cannot work, or nil when it can.
    public var problem: String? {
        if bootstrapServers.isEmpty { return "no bootstrap server given" }
        if clientId.utf8.count > Int(Int16.max) { return "the client id is too long" }
        if connectTimeoutMs <= 0 || requestTimeoutMs < 1_000 {
            return "connectTimeoutMs must be positive and requestTimeoutMs at least 1000"
        }
        if retries < 0 || retryBackoffMs < 0 || retryBackoffMaxMs < retryBackoffMs {
            return "retries and backoffs must not be negative, and the maximum backoff not below the first"
        }
        if metadataMaxAgeMs <= 0 || responseBytesMax < 1024 || idleFetchConnectionsMax < 0 {
            return "metadataMaxAgeMs must be positive and responseBytesMax at least 1024"
        }
        if frameReuseBytesMax < 0 { return "frameReuseBytesMax must not be negative" }
        return nil
    }
}
