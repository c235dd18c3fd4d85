/// One partition's leadership as Metadata reported it.
public struct PartitionMetadata: Equatable, Sendable {
    public var partition: Int32
    /// The leader's node id, -1 when there is none.
    public var leaderId: Int32
    public var leaderEpoch: Int32
    public var replicas: [Int32]
    public var inSyncReplicas: [Int32]
    /// A per-partition error, e.g. LEADER_NOT_AVAILABLE.
    public var errorCode: KafkaErrorCode

    /// A partition entry.
    public init(
        partition: Int32, leaderId: Int32, leaderEpoch: Int32 = -1, replicas: [Int32] = [],
        inSyncReplicas: [Int32] = [], errorCode: KafkaErrorCode = .noError
    ) {
        self.partition = partition
        self.leaderId = leaderId
        self.leaderEpoch = leaderEpoch
        self.replicas = replicas
        self.inSyncReplicas = inSyncReplicas
        self.errorCode = errorCode
    }
}

/// One topic and its partitions, sorted by partition index.
public struct TopicMetadata: Equatable, Sendable {
    public var name: String
    public var isInternal: Bool
    public var partitions: [PartitionMetadata]

    /// A topic entry; `partitions` are sorted here.
    public init(name: String, isInternal: Bool = false, partitions: [PartitionMetadata]) {
        self.name = name
        self.isInternal = isInternal
        self.partitions = partitions.sorted { $0.partition < $1.partition }
    }

    /// Number of partitions.
    public var partitionCount: Int { partitions.count }

    /// The partition with index `partition`, if the topic has it.
    public func partition(_ partition: Int32) -> PartitionMetadata? {
        let index = Int(partition)
        if index >= 0, index < partitions.count, partitions[index].partition == partition { return partitions[index] }
        return partitions.first { $0.partition == partition }
    }
}

/// What one Metadata request returned.
public struct ClusterMetadata: Equatable, Sendable {
    public var clusterId: String?
    public var controllerId: Int32
    /// Brokers by node id.
    public var brokers: [Int32: BrokerNode]
    /// Topics that came back without a topic-level error, by name.
    public var topics: [String: TopicMetadata]
    /// Topics that came back with a topic-level error (e.g. UNKNOWN_TOPIC_OR_PARTITION).
    public var topicErrors: [String: KafkaErrorCode]

    /// Metadata from its parts.
    public init(
        clusterId: String?, controllerId: Int32, brokers: [Int32: BrokerNode], topics: [String: TopicMetadata],
        topicErrors: [String: KafkaErrorCode]
    ) {
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.brokers = brokers
        self.topics = topics
        self.topicErrors = topicErrors
    }

    /// Builds the client's view from a Metadata response.
    init(_ response: MetadataResponse) {
        var brokers: [Int32: BrokerNode] = [:]
        for broker in response.brokers {
            brokers[broker.nodeId] = BrokerNode(nodeId: broker.nodeId, host: broker.host, port: broker.port)
        }
        var topics: [String: TopicMetadata] = [:]
        var errors: [String: KafkaErrorCode] = [:]
        for topic in response.topics {
            guard !topic.errorCode.isError else {
                errors[topic.name] = topic.errorCode
                continue
            }
            let partitions = topic.partitions.map { partition in
                PartitionMetadata(
                    partition: partition.partitionIndex, leaderId: partition.leaderId,
                    leaderEpoch: partition.leaderEpoch, replicas: partition.replicaNodes,
                    inSyncReplicas: partition.isrNodes, errorCode: partition.errorCode)
            }
            topics[topic.name] = TopicMetadata(name: topic.name, isInternal: topic.isInternal, partitions: partitions)
        }
        self.init(
            clusterId: response.clusterId, controllerId: response.controllerId, brokers: brokers, topics: topics,
            topicErrors: errors)
    }
}

/// The client's cached view of the cluster, refreshed when stale or when a broker says it is wrong.
struct MetadataCache {
    struct CachedTopic {
        var metadata: TopicMetadata
        var fetchedAtMs: UInt64
    }

    var brokers: [Int32: BrokerNode] = [:]
    var controllerId: Int32 = -1
    var topics: [String: CachedTopic] = [:]

    /// Folds in a fresh response: brokers are replaced, listed topics updated, missing ones dropped.
    mutating func absorb(_ metadata: ClusterMetadata, nowMs: UInt64) {
        if !metadata.brokers.isEmpty { brokers = metadata.brokers }
        controllerId = metadata.controllerId
        for (name, topic) in metadata.topics { topics[name] = CachedTopic(metadata: topic, fetchedAtMs: nowMs) }
        for name in metadata.topicErrors.keys { topics[name] = nil }
    }
}
