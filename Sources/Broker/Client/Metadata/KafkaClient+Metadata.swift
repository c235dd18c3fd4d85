import Wire

extension KafkaClient {
    /// Asks any broker for metadata of `topics` (nil = every topic) and refreshes the cache.
    /// Topic-level errors come back in `topicErrors`, not as a throw.
    public func metadata(topics: [String]?, allowAutoCreate: Bool = false) throws(KafkaClientError)
        -> ClusterMetadata
    {
        try retrying {
            () throws(KafkaClientError) in
            let request = MetadataRequest(topics: topics, allowAutoTopicCreation: allowAutoCreate)
            let (_, response) = try callAnyBroker(request)
            let metadata = ClusterMetadata(response)
            cache.withLock { $0.absorb(metadata, nowMs: MonotonicClock.milliseconds()) }
            return metadata
        }
    }

    /// The names of every topic the cluster has, sorted.
    public func listTopics() throws(KafkaClientError) -> [String] {
        try metadata(topics: nil).topics.keys.sorted()
    }

    /// One topic's metadata, from the cache when fresh; throws `.unknownTopic` if it does not exist
    /// (after asking the broker to create it when `allowAutoCreate`).
    public func topicMetadata(_ topic: String, allowAutoCreate: Bool = false, refresh: Bool = false)
        throws(KafkaClientError) -> TopicMetadata
    {
        if !refresh, let cached = freshCachedTopic(topic) { return cached }
        return try retrying {
            () throws(KafkaClientError) in
            let metadata = try metadata(topics: [topic], allowAutoCreate: allowAutoCreate)
            if let found = metadata.topics[topic] {
                // A topic being created answers without partitions or leaders yet; wait for them. One
                // leaderless partition of a live topic is `leader(of:)`'s business, not a reason to fail here.
                if found.partitions.allSatisfy({ $0.leaderId < 0 }) {
                    throw .leaderNotAvailable(topic: topic, partition: found.partitions.first?.partition ?? -1)
                }
                return found
            }
            switch metadata.topicErrors[topic] ?? .unknownTopicOrPartition {
            case .unknownTopicOrPartition: throw .unknownTopic(topic)
            case .leaderNotAvailable: throw .leaderNotAvailable(topic: topic, partition: -1)
            case let code: throw .broker(code, context: "metadata for topic '\(topic)'")
            }
        }
    }

    /// The broker leading `partition` of `topic`, from cached metadata when possible.
    public func leader(of partition: TopicPartition) throws(KafkaClientError) -> BrokerNode {
        let topic = try topicMetadata(partition.topic)
        guard let entry = topic.partition(partition.partition) else {
            throw .unknownPartition(topic: partition.topic, partition: partition.partition)
        }
        if let node = cache.withLock({ $0.brokers[entry.leaderId] }) { return node }
        invalidate(topic: partition.topic)
        throw .leaderNotAvailable(topic: partition.topic, partition: partition.partition)
    }

    /// Drops a topic from the cache, so the next use asks the broker again.
    public func invalidate(topic: String) {
        cache.withLock { _ = $0.topics.removeValue(forKey: topic) }
    }

    private func freshCachedTopic(_ topic: String) -> TopicMetadata? {
        let nowMs = MonotonicClock.milliseconds()
        return cache.withLock { cache in
            guard let cached = cache.topics[topic], nowMs - cached.fetchedAtMs < UInt64(config.metadataMaxAgeMs) else {
                return nil
            }
            return cached.metadata
        }
    }
}
