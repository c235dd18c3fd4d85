extension KafkaClient {
    /// Creates `topic` with `partitions` partitions; nil partitions or replication factor mean the
    /// broker's defaults (CreateTopics v4+; older brokers need a partition count and get factor 1).
    /// Throws `.topicAlreadyExists` for a duplicate.
    public func createTopic(
        _ topic: String, partitions: Int32?, replicationFactor: Int16? = nil, configs: [String: String] = [:],
        timeoutMs: Int32 = 30_000
    ) throws(KafkaClientError) {
        if let partitions, partitions <= 0 {
            throw .invalidConfig("a topic needs at least one partition, got \(partitions)")
        }
        try retrying(onRetry: { _ in self.cache.withLock { $0.controllerId = -1 } }) {
            () throws(KafkaClientError) in
            let node = try controllerNode()
            let connection = try pool.connection(to: node, lane: .control)
            let version = try connection.version(for: .createTopics)
            guard partitions != nil || version >= 4 else {
                throw .invalidConfig("this broker needs an explicit partition count (CreateTopics v\(version))")
            }
            let entry = CreateTopicsRequest.Topic(
                name: topic, numPartitions: partitions ?? -1,
                replicationFactor: replicationFactor ?? (version >= 4 ? -1 : 1),
                configs: configs.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) })
            let request = CreateTopicsRequest(topics: [entry], timeoutMs: timeoutMs)
            let response = try connection.call(request, timeoutMs: config.requestTimeoutMs + Int(timeoutMs))
            guard let result = response.topics.first(where: { $0.name == topic }) else {
                throw .malformedResponse(.createTopics, broker: node.address, reason: "no result for '\(topic)'")
            }
            switch result.errorCode {
            case .noError: break
            case .topicAlreadyExists: throw .topicAlreadyExists(topic)
            case let code:
                let detail = result.errorMessage.map { " (\($0))" } ?? ""
                throw .broker(code, context: "creating topic '\(topic)'\(detail)")
            }
        }
        invalidate(topic: topic)
    }

    /// The controller (admin requests go there), or any broker when it is not known.
    private func controllerNode() throws(KafkaClientError) -> BrokerNode {
        if let node = cache.withLock({ $0.brokers[$0.controllerId] }) { return node }
        let metadata = try metadata(topics: [])
        return metadata.brokers[metadata.controllerId] ?? candidateNodes()[0]
    }
}
