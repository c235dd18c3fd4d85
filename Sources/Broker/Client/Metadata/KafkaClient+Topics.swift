extension KafkaClient {
    /// Creates `topic` with `partitions` partitions; `replicationFactor` nil means the broker's
    /// default (CreateTopics v4+, else 1). Throws `.topicAlreadyExists` for a duplicate.
    public func createTopic(
        _ topic: String, partitions: Int32, replicationFactor: Int16? = nil, configs: [String: String] = [:],
        timeoutMs: Int32 = 30_000
    ) throws(KafkaClientError) {
        guard partitions > 0 else { throw .invalidConfig("a topic needs at least one partition, got \(partitions)") }
        try retrying(onRetry: { _ in self.cache.withLock { $0.controllerId = -1 } }) {
            () throws(KafkaClientError) in
            let node = try controllerNode()
            let connection = try pool.connection(to: node, lane: .control)
            let version = try connection.version(for: .createTopics)
            let entry = CreateTopicsRequest.Topic(
                name: topic, numPartitions: partitions, replicationFactor: replicationFactor ?? (version >= 4 ? -1 : 1),
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
