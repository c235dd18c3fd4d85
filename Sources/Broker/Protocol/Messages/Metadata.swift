import Wire

// Metadata (key 3), v0–8. Topics: null = all topics, [] = none (v1+); v0 cannot say null and
// used [] for "all", so at v0 an empty list decodes as nil and nil encodes as [].

/// Metadata request: which topics to describe, and whether to auto-create missing ones.
public struct MetadataRequest: KafkaRequestMessage {
    public typealias Response = MetadataResponse
    public static let apiKey = ApiKey.metadata

    /// Topic names; nil asks for all topics.
    public var topics: [String]?
    /// v4+; before v4 brokers always auto-created.
    public var allowAutoTopicCreation: Bool
    /// v8.
    public var includeClusterAuthorizedOperations: Bool
    /// v8+.
    public var includeTopicAuthorizedOperations: Bool

    /// A request; flags absent in a version keep their defaults.
    public init(
        topics: [String]?, allowAutoTopicCreation: Bool = true, includeClusterAuthorizedOperations: Bool = false,
        includeTopicAuthorizedOperations: Bool = false
    ) {
        self.topics = topics
        self.allowAutoTopicCreation = allowAutoTopicCreation
        self.includeClusterAuthorizedOperations = includeClusterAuthorizedOperations
        self.includeTopicAuthorizedOperations = includeTopicAuthorizedOperations
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        var topics = try reader.readNullableKafkaArray(minElementBytes: 2) { reader throws(DecodeError) in
            try reader.readInt16String()
        }
        if version == 0 && topics?.isEmpty == true { topics = nil }
        var request = MetadataRequest(topics: topics)
        if version >= 4 { request.allowAutoTopicCreation = try reader.readBool() }
        if version >= 8 {
            request.includeClusterAuthorizedOperations = try reader.readBool()
            request.includeTopicAuthorizedOperations = try reader.readBool()
        }
        return request
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        let names = version == 0 ? (topics ?? []) : topics
        writer.writeNullableKafkaArray(names) { writer, name in writer.writeInt16String(name) }
        if version >= 4 { writer.writeBool(allowAutoTopicCreation) }
        if version >= 8 {
            writer.writeBool(includeClusterAuthorizedOperations)
            writer.writeBool(includeTopicAuthorizedOperations)
        }
    }
}

/// Metadata response: brokers, controller and per-topic partition leadership.
public struct MetadataResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.metadata

    /// One broker the client may connect to.
    public struct Broker: Equatable, Sendable {
        public var nodeId: Int32
        public var host: String
        public var port: Int32
        /// v1+.
        public var rack: String?

        /// A broker entry.
        public init(nodeId: Int32, host: String, port: Int32, rack: String? = nil) {
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.rack = rack
        }
    }

    /// One partition's leadership.
    public struct Partition: Equatable, Sendable {
        public var errorCode: KafkaErrorCode
        public var partitionIndex: Int32
        public var leaderId: Int32
        /// v7+; keep constant (G12).
        public var leaderEpoch: Int32
        public var replicaNodes: [Int32]
        public var isrNodes: [Int32]
        /// v5+.
        public var offlineReplicas: [Int32]

        /// A partition entry.
        public init(
            errorCode: KafkaErrorCode = .noError, partitionIndex: Int32, leaderId: Int32, leaderEpoch: Int32 = -1,
            replicaNodes: [Int32], isrNodes: [Int32], offlineReplicas: [Int32] = []
        ) {
            self.errorCode = errorCode
            self.partitionIndex = partitionIndex
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
            self.replicaNodes = replicaNodes
            self.isrNodes = isrNodes
            self.offlineReplicas = offlineReplicas
        }
    }

    /// One topic.
    public struct Topic: Equatable, Sendable {
        public var errorCode: KafkaErrorCode
        public var name: String
        /// v1+.
        public var isInternal: Bool
        public var partitions: [Partition]
        /// v8+; Int32.min means "not requested".
        public var topicAuthorizedOperations: Int32

        /// A topic entry.
        public init(
            errorCode: KafkaErrorCode = .noError, name: String, isInternal: Bool = false, partitions: [Partition],
            topicAuthorizedOperations: Int32 = Int32.min
        ) {
            self.errorCode = errorCode
            self.name = name
            self.isInternal = isInternal
            self.partitions = partitions
            self.topicAuthorizedOperations = topicAuthorizedOperations
        }
    }

    /// v3+.
    public var throttleTimeMs: Int32
    public var brokers: [Broker]
    /// v2+.
    public var clusterId: String?
    /// v1+; must be this node so admin clients send CreateTopics here.
    public var controllerId: Int32
    public var topics: [Topic]
    /// v8; Int32.min means "not requested".
    public var clusterAuthorizedOperations: Int32

    /// A response; fields absent in a version keep their defaults.
    public init(
        throttleTimeMs: Int32 = 0, brokers: [Broker], clusterId: String? = nil, controllerId: Int32 = -1,
        topics: [Topic], clusterAuthorizedOperations: Int32 = Int32.min
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.brokers = brokers
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.topics = topics
        self.clusterAuthorizedOperations = clusterAuthorizedOperations
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        var response = MetadataResponse(brokers: [], topics: [])
        if version >= 3 { response.throttleTimeMs = try reader.readInt32() }
        response.brokers = try reader.readKafkaArray(minElementBytes: 10) { reader throws(DecodeError) in
            try Broker.decode(from: &reader, version: version)
        }
        if version >= 2 { response.clusterId = try reader.readNullableInt16String() }
        if version >= 1 { response.controllerId = try reader.readInt32() }
        response.topics = try reader.readKafkaArray(minElementBytes: 8) { reader throws(DecodeError) in
            try Topic.decode(from: &reader, version: version)
        }
        if version >= 8 { response.clusterAuthorizedOperations = try reader.readInt32() }
        return response
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 3 { writer.writeInteger(throttleTimeMs) }
        writer.writeKafkaArray(brokers) { writer, broker in broker.encode(into: &writer, version: version) }
        if version >= 2 { writer.writeInt16String(clusterId) }
        if version >= 1 { writer.writeInteger(controllerId) }
        writer.writeKafkaArray(topics) { writer, topic in topic.encode(into: &writer, version: version) }
        if version >= 8 { writer.writeInteger(clusterAuthorizedOperations) }
    }
}

extension MetadataResponse.Broker {
    static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        var broker = Self(
            nodeId: try reader.readInt32(), host: try reader.readInt16String(), port: try reader.readInt32())
        if version >= 1 { broker.rack = try reader.readNullableInt16String() }
        return broker
    }

    func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInteger(nodeId)
        writer.writeInt16String(host)
        writer.writeInteger(port)
        if version >= 1 { writer.writeInt16String(rack) }
    }
}

extension MetadataResponse.Topic {
    static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        let errorCode = try reader.readErrorCode()
        let name = try reader.readInt16String()
        let isInternal = version >= 1 ? try reader.readBool() : false
        let partitions = try reader.readKafkaArray(minElementBytes: 18) { reader throws(DecodeError) in
            try MetadataResponse.Partition.decode(from: &reader, version: version)
        }
        let operations = version >= 8 ? try reader.readInt32() : Int32.min
        return Self(
            errorCode: errorCode, name: name, isInternal: isInternal, partitions: partitions,
            topicAuthorizedOperations: operations)
    }

    func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeErrorCode(errorCode)
        writer.writeInt16String(name)
        if version >= 1 { writer.writeBool(isInternal) }
        writer.writeKafkaArray(partitions) { writer, partition in partition.encode(into: &writer, version: version) }
        if version >= 8 { writer.writeInteger(topicAuthorizedOperations) }
    }
}

extension MetadataResponse.Partition {
    static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        var partition = Self(
            errorCode: try reader.readErrorCode(), partitionIndex: try reader.readInt32(),
            leaderId: try reader.readInt32(), replicaNodes: [], isrNodes: [])
        if version >= 7 { partition.leaderEpoch = try reader.readInt32() }
        partition.replicaNodes = try reader.readInt32Array()
        partition.isrNodes = try reader.readInt32Array()
        if version >= 5 { partition.offlineReplicas = try reader.readInt32Array() }
        return partition
    }

    func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeErrorCode(errorCode)
        writer.writeInteger(partitionIndex)
        writer.writeInteger(leaderId)
        if version >= 7 { writer.writeInteger(leaderEpoch) }
        writer.writeInt32Array(replicaNodes)
        writer.writeInt32Array(isrNodes)
        if version >= 5 { writer.writeInt32Array(offlineReplicas) }
    }
}
