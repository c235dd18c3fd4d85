import Wire

// OffsetCommit (key 8), v2–7. retention_time_ms exists only in v2–4, throttle time from v3,
// committed_leader_epoch from v6 (store and echo it, G12), group_instance_id from v7.
// Commits during PreparingRebalance must be accepted (§5).

/// OffsetCommit request: a group member's consumed positions.
public struct OffsetCommitRequest: KafkaRequestMessage {
    public typealias Response = OffsetCommitResponse
    public static let apiKey = ApiKey.offsetCommit

    /// One partition's committed position.
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var committedOffset: Int64
        /// v6+.
        public var committedLeaderEpoch: Int32
        public var committedMetadata: String?

        /// A partition entry; `committedLeaderEpoch` only travels in v6+.
        public init(
            partitionIndex: Int32, committedOffset: Int64, committedLeaderEpoch: Int32 = -1,
            committedMetadata: String?
        ) {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.committedMetadata = committedMetadata
        }
    }

    /// One topic's partitions.
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]

        /// A topic entry.
        public init(name: String, partitions: [Partition]) {
            self.name = name
            self.partitions = partitions
        }
    }

    public var groupId: String
    /// -1 for a commit from outside a group generation.
    public var generationId: Int32
    public var memberId: String
    /// v7+.
    public var groupInstanceId: String?
    /// v2–4; -1 = broker default.
    public var retentionTimeMs: Int64
    public var topics: [Topic]

    /// A request; fields absent in a version keep their defaults.
    public init(
        groupId: String, generationId: Int32 = -1, memberId: String = "", groupInstanceId: String? = nil,
        retentionTimeMs: Int64 = -1, topics: [Topic]
    ) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.retentionTimeMs = retentionTimeMs
        self.topics = topics
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        var request = OffsetCommitRequest(
            groupId: try reader.readInt16String(), generationId: try reader.readInt32(),
            memberId: try reader.readInt16String(), topics: [])
        if version >= 7 { request.groupInstanceId = try reader.readNullableInt16String() }
        if version <= 4 { request.retentionTimeMs = try reader.readInt64() }
        request.topics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(
                name: try reader.readInt16String(),
                partitions: try reader.readKafkaArray(minElementBytes: 14) { reader throws(DecodeError) in
                    let index = try reader.readInt32()
                    let offset = try reader.readInt64()
                    let epoch = version >= 6 ? try reader.readInt32() : -1
                    return Partition(
                        partitionIndex: index, committedOffset: offset, committedLeaderEpoch: epoch,
                        committedMetadata: try reader.readNullableInt16String())
                })
        }
        return request
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInt16String(groupId)
        writer.writeInteger(generationId)
        writer.writeInt16String(memberId)
        if version >= 7 { writer.writeInt16String(groupInstanceId) }
        if version <= 4 { writer.writeInteger(retentionTimeMs) }
        writer.writeKafkaArray(topics) { writer, topic in
            writer.writeInt16String(topic.name)
            writer.writeKafkaArray(topic.partitions) { writer, partition in
                writer.writeInteger(partition.partitionIndex)
                writer.writeInteger(partition.committedOffset)
                if version >= 6 { writer.writeInteger(partition.committedLeaderEpoch) }
                writer.writeInt16String(partition.committedMetadata)
            }
        }
    }
}

/// OffsetCommit response: an error code per partition.
public struct OffsetCommitResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.offsetCommit

    /// One partition's result.
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: KafkaErrorCode

        /// A partition entry.
        public init(partitionIndex: Int32, errorCode: KafkaErrorCode = .noError) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
        }
    }

    /// One topic's partitions.
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]

        /// A topic entry.
        public init(name: String, partitions: [Partition]) {
            self.name = name
            self.partitions = partitions
        }
    }

    /// v3+.
    public var throttleTimeMs: Int32
    public var topics: [Topic]

    /// A response; `throttleTimeMs` only travels in v3+.
    public init(throttleTimeMs: Int32 = 0, topics: [Topic]) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let throttleTimeMs = version >= 3 ? try reader.readInt32() : 0
        let topics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(
                name: try reader.readInt16String(),
                partitions: try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
                    Partition(partitionIndex: try reader.readInt32(), errorCode: try reader.readErrorCode())
                })
        }
        return OffsetCommitResponse(throttleTimeMs: throttleTimeMs, topics: topics)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 3 { writer.writeInteger(throttleTimeMs) }
        writer.writeKafkaArray(topics) { writer, topic in
            writer.writeInt16String(topic.name)
            writer.writeKafkaArray(topic.partitions) { writer, partition in
                writer.writeInteger(partition.partitionIndex)
                writer.writeErrorCode(partition.errorCode)
            }
        }
    }
}
