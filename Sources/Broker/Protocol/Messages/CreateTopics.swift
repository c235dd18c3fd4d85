import Wire

// CreateTopics (key 19), v2–4. v4 allows num_partitions / replication_factor = -1 for broker
// defaults (G15); duplicates answer 36 TOPIC_ALREADY_EXISTS.

/// CreateTopics request: topics to create.
public struct CreateTopicsRequest: KafkaRequestMessage {
    public typealias Response = CreateTopicsResponse
    public static let apiKey = ApiKey.createTopics

    /// A manual replica assignment for one partition.
    public struct Assignment: Equatable, Sendable {
        public var partitionIndex: Int32
        public var brokerIds: [Int32]

        /// An assignment entry.
        public init(partitionIndex: Int32, brokerIds: [Int32]) {
            self.partitionIndex = partitionIndex
            self.brokerIds = brokerIds
        }
    }

    /// One topic-level config override.
    public struct Config: Equatable, Sendable {
        public var name: String
        public var value: String?

        /// A config entry.
        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }
    }

    /// One topic to create.
    public struct Topic: Equatable, Sendable {
        public var name: String
        /// -1 = broker default (v4+).
        public var numPartitions: Int32
        /// -1 = broker default (v4+).
        public var replicationFactor: Int16
        public var assignments: [Assignment]
        public var configs: [Config]

        /// A topic entry.
        public init(
            name: String, numPartitions: Int32, replicationFactor: Int16, assignments: [Assignment] = [],
            configs: [Config] = []
        ) {
            self.name = name
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
            self.assignments = assignments
            self.configs = configs
        }
    }

    public var topics: [Topic]
    public var timeoutMs: Int32
    /// Check the request without creating anything.
    public var validateOnly: Bool

    /// A request.
    public init(topics: [Topic], timeoutMs: Int32 = 60000, validateOnly: Bool = false) {
        self.topics = topics
        self.timeoutMs = timeoutMs
        self.validateOnly = validateOnly
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let topics = try reader.readKafkaArray(minElementBytes: 16) { reader throws(DecodeError) in
            try Topic.decode(from: &reader)
        }
        return CreateTopicsRequest(
            topics: topics, timeoutMs: try reader.readInt32(), validateOnly: try reader.readBool())
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeKafkaArray(topics) { writer, topic in topic.encode(into: &writer) }
        writer.writeInteger(timeoutMs)
        writer.writeBool(validateOnly)
    }
}

extension CreateTopicsRequest.Topic {
    static func decode(from reader: inout ByteReader) throws(DecodeError) -> Self {
        Self(
            name: try reader.readInt16String(), numPartitions: try reader.readInt32(),
            replicationFactor: try reader.readInt16(),
            assignments: try reader.readKafkaArray(minElementBytes: 8) { reader throws(DecodeError) in
                CreateTopicsRequest.Assignment(
                    partitionIndex: try reader.readInt32(), brokerIds: try reader.readInt32Array())
            },
            configs: try reader.readKafkaArray(minElementBytes: 4) { reader throws(DecodeError) in
                CreateTopicsRequest.Config(
                    name: try reader.readInt16String(), value: try reader.readNullableInt16String())
            })
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeInt16String(name)
        writer.writeInteger(numPartitions)
        writer.writeInteger(replicationFactor)
        writer.writeKafkaArray(assignments) { writer, assignment in
            writer.writeInteger(assignment.partitionIndex)
            writer.writeInt32Array(assignment.brokerIds)
        }
        writer.writeKafkaArray(configs) { writer, config in
            writer.writeInt16String(config.name)
            writer.writeInt16String(config.value)
        }
    }
}

/// CreateTopics response: an error code per topic.
public struct CreateTopicsResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.createTopics

    /// One topic's result.
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var errorCode: KafkaErrorCode
        public var errorMessage: String?

        /// A topic entry.
        public init(name: String, errorCode: KafkaErrorCode = .noError, errorMessage: String? = nil) {
            self.name = name
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }
    }

    public var throttleTimeMs: Int32
    public var topics: [Topic]

    /// A response.
    public init(throttleTimeMs: Int32 = 0, topics: [Topic]) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let throttleTimeMs = try reader.readInt32()
        let topics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(
                name: try reader.readInt16String(), errorCode: try reader.readErrorCode(),
                errorMessage: try reader.readNullableInt16String())
        }
        return CreateTopicsResponse(throttleTimeMs: throttleTimeMs, topics: topics)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInteger(throttleTimeMs)
        writer.writeKafkaArray(topics) { writer, topic in
            writer.writeInt16String(topic.name)
            writer.writeErrorCode(topic.errorCode)
            writer.writeInt16String(topic.errorMessage)
        }
    }
}
