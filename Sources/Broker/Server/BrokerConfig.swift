/// Everything a `KafkaBroker` needs to start; defaults follow `spate broker`'s flags and Kafka's settings.
public struct BrokerConfig: Sendable {
    /// Address to listen on (`--bind`).
    public var bindHost: String
    /// Port to listen on; 0 picks a free one (`--port`).
    public var port: UInt16
    /// Host clients are told to connect to (`--advertise`); nil means the bind address, or this
    /// machine's host name when binding every interface.
    public var advertisedHost: String?
    /// Where topics, producer ids and committed offsets live (`--data-dir`).
    public var dataDirectory: String
    /// Partitions of auto-created topics and of CreateTopics asking for -1 (`--partitions`).
    public var defaultPartitions: Int32
    /// Creates unknown topics on Produce and on Metadata requests that allow it, as Kafka does by default.
    public var autoCreateTopics: Bool
    /// Segment size, retention and fsync policy of every partition log.
    public var log: LogConfig
    /// Consumer-group timings and limits.
    public var groups: GroupCoordinatorConfig
    /// The versions advertised and accepted; `.recommended` is KAFKA-PROTOCOL.md §1's table.
    public var apiVersions: ApiVersionTable
    /// Largest request frame accepted (Kafka's socket.request.max.bytes); a larger one closes the connection.
    public var requestBytesMax: Int
    /// Connections served at once; more are closed as soon as they are accepted.
    public var connectionsMax: Int
    /// A connection that sends nothing for this long is closed (Kafka's connections.max.idle.ms).
    public var connectionIdleTimeoutMs: Int
    /// A client that takes no response bytes for this long is disconnected.
    public var responseStallTimeoutMs: Int
    /// Upper bound on a Fetch's max_wait_ms, whatever the client asks.
    public var fetchWaitMsMax: Int32
    /// Partitions one topic may have.
    public var partitionsPerTopicMax: Int32
    /// Topics the broker holds; creations beyond it are refused (each partition holds open files).
    public var topicsMax: Int
    /// How often retention is enforced on every partition (Kafka's log.retention.check.interval.ms).
    public var retentionCheckIntervalMs: Int64
    /// Bytes at the tail of each partition scanned at start to rebuild idempotent-producer state.
    public var producerStateScanBytes: Int64
    /// Answers Spate's local-read request (readers on this host then pread the segment files);
    /// when false the request is refused like any unknown api key.
    public var servesLocalReads: Bool
    /// This broker's node id in Metadata and FindCoordinator.
    public var nodeId: Int32
    /// The cluster id Metadata reports.
    public var clusterId: String
    /// Receives one line per notable event (a connection closed for a bad request, a failed flush);
    /// nil drops them.
    public var eventLog: (@Sendable (String) -> Void)?

    /// A configuration with `spate broker`'s defaults, storing data in `dataDirectory`.
    public init(
        dataDirectory: String, bindHost: String = "127.0.0.1", port: UInt16 = 9092, advertisedHost: String? = nil,
        defaultPartitions: Int32 = 3, autoCreateTopics: Bool = true, log: LogConfig = LogConfig(),
        groups: GroupCoordinatorConfig = GroupCoordinatorConfig(), apiVersions: ApiVersionTable = .recommended
    ) {
        self.dataDirectory = dataDirectory
        self.bindHost = bindHost
        self.port = port
        self.advertisedHost = advertisedHost
        self.defaultPartitions = defaultPartitions
        self.autoCreateTopics = autoCreateTopics
        self.log = log
        self.groups = groups
        self.apiVersions = apiVersions
        requestBytesMax = 100 << 20
        connectionsMax = 4096
        connectionIdleTimeoutMs = 600_000
        responseStallTimeoutMs = 60_000
        fetchWaitMsMax = 60_000
        partitionsPerTopicMax = 10_000
        topicsMax = 10_000
        retentionCheckIntervalMs = 60_000
        producerStateScanBytes = 64 << 20
        servesLocalReads = true
        nodeId = 0
        clusterId = "spate"
        eventLog = nil
    }

    /// Why this configuration cannot run, or nil when it can.
    public var problem: String? {
        if dataDirectory.isEmpty { return "the data directory is empty" }
        if defaultPartitions <= 0 || defaultPartitions > partitionsPerTopicMax {
            return "default partitions must be in 1...\(partitionsPerTopicMax), got \(defaultPartitions)"
        }
        if requestBytesMax < 1024 { return "requestBytesMax must be at least 1024, got \(requestBytesMax)" }
        if connectionsMax <= 0 { return "connectionsMax must be positive" }
        if topicsMax <= 0 || topicsMax > TopicMetadataFile.topicsMax {
            return "topicsMax must be in 1...\(TopicMetadataFile.topicsMax), got \(topicsMax)"
        }
        if connectionIdleTimeoutMs <= 0 || responseStallTimeoutMs <= 0 { return "timeouts must be positive" }
        if fetchWaitMsMax < 0 || retentionCheckIntervalMs <= 0 || producerStateScanBytes < 0 {
            return "fetchWaitMsMax, retentionCheckIntervalMs and producerStateScanBytes must not be negative"
        }
        if let advertisedHost, advertisedHost.isEmpty || advertisedHost.utf8.count > Int(Int16.max) {
            return "the advertised host is empty or too long"
        }
        for key in [ApiKey.apiVersions, .metadata, .produce, .fetch] where apiVersions.range(for: key) == nil {
            return "the ApiVersions table must include \(key)"
        }
        return nil
    }
}
