import Wire

// Fetch (key 1), v4–11. v4 adds isolation_level, v5 log_start_offset, v7 fetch sessions and
// forgotten topics, v9 current_leader_epoch, v11 rack_id. kafka-python asks for a session
// (epoch 0); librdkafka is sessionless (epoch -1).

/// Fetch request: where to read from in each partition, and how long to wait for data.
public struct FetchRequest: KafkaRequestMessage {
    public typealias Response = FetchResponse
    public static let apiKey = ApiKey.fetch

    /// One partition to read.
    public struct Partition: Equatable, Sendable {
        public var partition: Int32
        /// v9+.
        public var currentLeaderEpoch: Int32
        public var fetchOffset: Int64
        /// v5+; only followers set it.
        public var logStartOffset: Int64
        public var partitionMaxBytes: Int32

        /// A partition entry; fields absent in a version keep their defaults.
        public init(
            partition: Int32, currentLeaderEpoch: Int32 = -1, fetchOffset: Int64, logStartOffset: Int64 = -1,
            partitionMaxBytes: Int32
        ) {
            self.partition = partition
            self.currentLeaderEpoch = currentLeaderEpoch
            self.fetchOffset = fetchOffset
            self.logStartOffset = logStartOffset
            self.partitionMaxBytes = partitionMaxBytes
        }
    }

    /// One topic's partitions.
    public struct Topic: Equatable, Sendable {
        public var topic: String
        public var partitions: [Partition]

        /// A topic entry.
        public init(topic: String, partitions: [Partition]) {
            self.topic = topic
            self.partitions = partitions
        }
    }

    /// Partitions to drop from an incremental fetch session (v7+).
    public struct ForgottenTopic: Equatable, Sendable {
        public var topic: String
        public var partitions: [Int32]

        /// A forgotten-topic entry.
        public init(topic: String, partitions: [Int32]) {
            self.topic = topic
            self.partitions = partitions
        }
    }

    /// -1 for consumers.
    public var replicaId: Int32
    public var maxWaitMs: Int32
    public var minBytes: Int32
    public var maxBytes: Int32
    /// 0 = read_uncommitted, 1 = read_committed.
    public var isolationLevel: Int8
    /// v7+.
    public var sessionId: Int32
    /// v7+.
    public var sessionEpoch: Int32
    public var topics: [Topic]
    /// v7+.
    public var forgottenTopics: [ForgottenTopic]
    /// v11+.
    public var rackId: String

    /// A request; fields absent in a version keep their defaults.
    public init(
        replicaId: Int32 = -1, maxWaitMs: Int32, minBytes: Int32, maxBytes: Int32 = Int32.max,
        isolationLevel: Int8 = 0, sessionId: Int32 = 0, sessionEpoch: Int32 = -1, topics: [Topic],
        forgottenTopics: [ForgottenTopic] = [], rackId: String = ""
    ) {
        self.replicaId = replicaId
        self.maxWaitMs = maxWaitMs
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.isolationLevel = isolationLevel
        self.sessionId = sessionId
        self.sessionEpoch = sessionEpoch
        self.topics = topics
        self.forgottenTopics = forgottenTopics
        self.rackId = rackId
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        var request = FetchRequest(
            replicaId: try reader.readInt32(), maxWaitMs: try reader.readInt32(), minBytes: try reader.readInt32(),
            maxBytes: try reader.readInt32(), isolationLevel: try reader.readInt8(), topics: [])
        if version >= 7 {
            request.sessionId = try reader.readInt32()
            request.sessionEpoch = try reader.readInt32()
        }
        request.topics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(
                topic: try reader.readInt16String(),
                partitions: try reader.readKafkaArray(minElementBytes: 16) { reader throws(DecodeError) in
                    try Partition.decode(from: &reader, version: version)
                })
        }
        if version >= 7 {
            request.forgottenTopics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
                ForgottenTopic(topic: try reader.readInt16String(), partitions: try reader.readInt32Array())
            }
        }
        if version >= 11 { request.rackId = try reader.readInt16String() }
        return request
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInteger(replicaId)
        writer.writeInteger(maxWaitMs)
        writer.writeInteger(minBytes)
        writer.writeInteger(maxBytes)
        writer.writeInteger(isolationLevel)
        if version >= 7 {
            writer.writeInteger(sessionId)
            writer.writeInteger(sessionEpoch)
        }
        writer.writeKafkaArray(topics) { writer, topic in
            writer.writeInt16String(topic.topic)
            writer.writeKafkaArray(topic.partitions) { writer, partition in
                partition.encode(into: &writer, version: version)
            }
        }
        if version >= 7 {
            writer.writeKafkaArray(forgottenTopics) { writer, forgotten in
                writer.writeInt16String(forgotten.topic)
                writer.writeInt32Array(forgotten.partitions)
            }
        }
        if version >= 11 { writer.writeInt16String(rackId) }
    }
}

extension FetchRequest.Partition {
    static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        let partition = try reader.readInt32()
        let currentLeaderEpoch = version >= 9 ? try reader.readInt32() : -1
        let fetchOffset = try reader.readInt64()
        let logStartOffset = version >= 5 ? try reader.readInt64() : -1
        return Self(
            partition: partition, currentLeaderEpoch: currentLeaderEpoch, fetchOffset: fetchOffset,
            logStartOffset: logStartOffset, partitionMaxBytes: try reader.readInt32())
    }

    func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInteger(partition)
        if version >= 9 { writer.writeInteger(currentLeaderEpoch) }
        writer.writeInteger(fetchOffset)
        if version >= 5 { writer.writeInteger(logStartOffset) }
        writer.writeInteger(partitionMaxBytes)
    }
}
