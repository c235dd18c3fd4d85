extension KafkaClient {
    /// The broker coordinating `group` (FindCoordinator), cached until it says otherwise.
    public func coordinator(for group: String, refresh: Bool = false) throws(KafkaClientError) -> BrokerNode {
        if !refresh, let known = coordinators.withLock({ $0[group] }) { return known }
        return try retrying {
            () throws(KafkaClientError) in
            let (_, response) = try callAnyBroker(FindCoordinatorRequest(key: group, keyType: 0))
            guard !response.errorCode.isError else {
                throw .broker(response.errorCode, context: "finding the coordinator of group '\(group)'")
            }
            let node = BrokerNode(nodeId: response.nodeId, host: response.host, port: response.port)
            coordinators.withLock { $0[group] = node }
            return node
        }
    }

    /// Forgets `group`'s coordinator, so the next request looks it up again.
    public func forgetCoordinator(of group: String) {
        coordinators.withLock { _ = $0.removeValue(forKey: group) }
    }

    /// Commits `offsets` (the next offset to read, per partition) for `group`. A group member passes
    /// its generation and member id; a standalone consumer leaves them at -1 and "".
    public func commitOffsets(
        group: String, offsets: [TopicPartition: Int64], generationId: Int32 = -1, memberId: String = "",
        metadata: String? = nil
    ) throws(KafkaClientError) {
        guard !offsets.isEmpty else { return }
        var topics: [OffsetCommitRequest.Topic] = []
        for key in offsets.keys.sorted() {
            let entry = OffsetCommitRequest.Partition(
                partitionIndex: key.partition, committedOffset: offsets[key] ?? 0, committedMetadata: metadata)
            if topics.last?.name == key.topic {
                topics[topics.count - 1].partitions.append(entry)
            } else {
                topics.append(OffsetCommitRequest.Topic(name: key.topic, partitions: [entry]))
            }
        }
        let request = OffsetCommitRequest(
            groupId: group, generationId: generationId, memberId: memberId, topics: topics)
        try retrying(onRetry: { _ in self.forgetCoordinator(of: group) }) {
            () throws(KafkaClientError) in
            let response = try call(request, to: try coordinator(for: group))
            for topic in response.topics {
                for partition in topic.partitions where partition.errorCode.isError {
                    throw .broker(
                        partition.errorCode,
                        context: "committing \(topic.name)/\(partition.partitionIndex) for group '\(group)'")
                }
            }
        }
    }

    /// The offsets `group` committed for `partitions`; partitions with no commit are absent.
    public func committedOffsets(group: String, partitions: [TopicPartition]) throws(KafkaClientError)
        -> [TopicPartition: Int64]
    {
        guard !partitions.isEmpty else { return [:] }
        var topics: [OffsetFetchRequest.Topic] = []
        for key in partitions.sorted() {
            if topics.last?.name == key.topic {
                topics[topics.count - 1].partitionIndexes.append(key.partition)
            } else {
                topics.append(OffsetFetchRequest.Topic(name: key.topic, partitionIndexes: [key.partition]))
            }
        }
        let request = OffsetFetchRequest(groupId: group, topics: topics)
        return try retrying(onRetry: { _ in self.forgetCoordinator(of: group) }) {
            () throws(KafkaClientError) in
            let response = try call(request, to: try coordinator(for: group))
            if response.errorCode.isError {
                throw .broker(response.errorCode, context: "fetching the offsets of group '\(group)'")
            }
            var found: [TopicPartition: Int64] = [:]
            for topic in response.topics {
                for partition in topic.partitions {
                    if partition.errorCode.isError {
                        throw .broker(
                            partition.errorCode,
                            context: "fetching the offset of \(topic.name)/\(partition.partitionIndex) for '\(group)'")
                    }
                    if partition.committedOffset >= 0 {
                        found[TopicPartition(topic: topic.name, partition: partition.partitionIndex)] =
                            partition.committedOffset
                    }
                }
            }
            return found
        }
    }
}
