/// Topic lookup with auto-creation, shared by Produce and Metadata, and CreateTopics.
extension BrokerCore {
    /// A topic found (or just created), or the error code a request naming it gets.
    enum TopicResolution {
        case found(BrokerTopic)
        case failed(KafkaErrorCode, String)
    }

    /// Finds `name`, creating it with the default partition count when `autoCreate` allows.
    func resolveTopic(_ name: String, autoCreate: Bool) -> TopicResolution {
        if let topic = topics.topic(name) { return .found(topic) }
        if let problem = TopicName.problem(name) { return .failed(.invalidTopic, problem) }
        guard autoCreate else { return .failed(.unknownTopicOrPartition, "topic \(name) does not exist") }
        guard topics.count < config.topicsMax else {
            return .failed(
                .unknownTopicOrPartition, "topic \(name) does not exist and the broker holds its limit of topics")
        }
        do {
            switch try topics.create(name, partitionCount: config.defaultPartitions, nowMs: WallClock.milliseconds()) {
            case .created(let topic), .alreadyExists(let topic): return .found(topic)
            }
        } catch {
            return .failed(.kafkaStorageError, "could not create topic \(name): \(error)")
        }
    }

    /// CreateTopics (v2–4): Kafka's checks in Kafka's order, then creation unless validate_only.
    func createTopics(_ request: CreateTopicsRequest) -> CreateTopicsResponse {
        var counts: [String: Int] = [:]
        for topic in request.topics { counts[topic.name, default: 0] += 1 }
        let repeated = Set(counts.filter { $0.value > 1 }.keys)
        return CreateTopicsResponse(
            topics: request.topics.map { topic in
                if repeated.contains(topic.name) {
                    return .init(
                        name: topic.name, errorCode: .invalidRequest,
                        errorMessage: "the request names topic \(topic.name) more than once")
                }
                return createTopic(topic, validateOnly: request.validateOnly)
            })
    }

    private func createTopic(_ topic: CreateTopicsRequest.Topic, validateOnly: Bool) -> CreateTopicsResponse.Topic {
        func failure(_ code: KafkaErrorCode, _ message: String) -> CreateTopicsResponse.Topic {
            .init(name: topic.name, errorCode: code, errorMessage: message)
        }
        if let problem = TopicName.problem(topic.name) { return failure(.invalidTopic, problem) }
        if topics.topic(topic.name) != nil {
            return failure(.topicAlreadyExists, "Topic '\(topic.name)' already exists.")
        }
        guard topics.count < config.topicsMax else {
            return failure(.policyViolation, "this broker holds its limit of \(config.topicsMax) topics")
        }
        let partitionCount: Int32
        switch requestedPartitionCount(topic) {
        case .success(let count): partitionCount = count
        case .failure(let refusal): return failure(refusal.code, refusal.message)
        }
        if validateOnly { return .init(name: topic.name) }
        do {
            switch try topics.create(topic.name, partitionCount: partitionCount, nowMs: WallClock.milliseconds()) {
            case .created: return .init(name: topic.name)
            case .alreadyExists: return failure(.topicAlreadyExists, "Topic '\(topic.name)' already exists.")
            }
        } catch {
            return failure(.unknownServerError, "could not create topic \(topic.name): \(error)")
        }
    }

    /// A refusal of a CreateTopics entry.
    struct CreateRefusal: Error {
        let code: KafkaErrorCode
        let message: String
    }

    /// The partition count an entry asks for (G15: -1 means the broker default), or why it is refused.
    private func requestedPartitionCount(_ topic: CreateTopicsRequest.Topic) -> Result<Int32, CreateRefusal> {
        if !topic.assignments.isEmpty {
            guard topic.numPartitions == -1, topic.replicationFactor == -1 else {
                return .failure(
                    CreateRefusal(
                        code: .invalidRequest,
                        message: "numPartitions or replicationFactor and replica assignments cannot be used together"))
            }
            let indexes = Set(topic.assignments.map(\.partitionIndex))
            let complete = indexes == Set(0..<Int32(topic.assignments.count))
            guard complete, topic.assignments.allSatisfy({ $0.brokerIds == [config.nodeId] }) else {
                return .failure(
                    CreateRefusal(
                        code: .invalidReplicaAssignment,
                        message:
                            "replica assignments must number partitions from 0 and name only broker \(config.nodeId)"))
            }
            return checkedCount(Int32(topic.assignments.count))
        }
        if topic.replicationFactor != -1 && topic.replicationFactor != 1 {
            let message =
                topic.replicationFactor <= 0
                ? "Replication factor must be larger than 0."
                : "Replication factor: \(topic.replicationFactor) larger than available brokers: 1."
            return .failure(CreateRefusal(code: .invalidReplicationFactor, message: message))
        }
        return checkedCount(topic.numPartitions == -1 ? config.defaultPartitions : topic.numPartitions)
    }

    private func checkedCount(_ count: Int32) -> Result<Int32, CreateRefusal> {
        guard count > 0 else {
            return .failure(
                CreateRefusal(code: .invalidPartitions, message: "Number of partitions must be larger than 0."))
        }
        guard count <= config.partitionsPerTopicMax else {
            return .failure(
                CreateRefusal(
                    code: .invalidPartitions,
                    message: "\(count) partitions is over this broker's limit of \(config.partitionsPerTopicMax)"))
        }
        return .success(count)
    }
}
