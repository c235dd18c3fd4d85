import Wire

// OffsetFetch (key 9), v1–5. topics may be null (all of the group's offsets) from v2; v1 cannot
// say null, so nil encodes as [] there. v2 adds the top-level error, v3 throttle time, v5
// committed_leader_epoch. Unknown offsets answer offset -1, metadata "", error 0 (§5).

/// OffsetFetch request: a group's committed positions.
public struct OffsetFetchRequest: KafkaRequestMessage {
    public typealias Response = OffsetFetchResponse
    public static let apiKey = ApiKey.offsetFetch

    /// One topic's partitions.
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitionIndexes: [Int32]

        /// A topic entry.
        public init(name: String, partitionIndexes: [Int32]) {
            self.name = name
            self.partitionIndexes = partitionIndexes
        }
    }

    public var groupId: String
    /// Nil asks for every committed offset of the group (v2+).
    public var topics: [Topic]?

    /// A request.
    public init(groupId: String, topics: [Topic]?) {
        self.groupId = groupId
        self.topics = topics
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let groupId = try reader.readInt16String()
        let at = reader.readerIndex
        let topics = try reader.readNullableKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(name: try reader.readInt16String(), partitionIndexes: try reader.readInt32Array())
        }
        if topics == nil && version < 2 { throw .invalidLength(-1, at: at) }
        return OffsetFetchRequest(groupId: groupId, topics: topics)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInt16String(groupId)
        writer.writeNullableKafkaArray(version >= 2 ? topics : (topics ?? [])) { writer, topic in
            writer.writeInt16String(topic.name)
            writer.writeInt32Array(topic.partitionIndexes)
        }
    }
}

/// OffsetFetch response: committed offset per partition.
public struct OffsetFetchResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.offsetFetch

    /// One partition's committed position.
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        /// -1 if nothing is committed.
        public var committedOffset: Int64
        /// v5+.
        public var committedLeaderEpoch: Int32
        public var metadata: String?
        public var errorCode: KafkaErrorCode

        /// A partition entry; `committedLeaderEpoch` only travels in v5+.
        public init(
            partitionIndex: Int32, committedOffset: Int64, committedLeaderEpoch: Int32 = -1, metadata: String?,
            errorCode: KafkaErrorCode = .noError
        ) {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.metadata = metadata
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
    /// v2+; group-level error.
    public var errorCode: KafkaErrorCode

    /// A response; fields absent in a version keep their defaults.
    public init(throttleTimeMs: Int32 = 0, topics: [Topic], errorCode: KafkaErrorCode = .noError) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
        self.errorCode = errorCode
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let throttleTimeMs = version >= 3 ? try reader.readInt32() : 0
        let topics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(
                name: try reader.readInt16String(),
                partitions: try reader.readKafkaArray(minElementBytes: 16) { reader throws(DecodeError) in
                    let index = try reader.readInt32()
                    let offset = try reader.readInt64()
                    let epoch = version >= 5 ? try reader.readInt32() : -1
                    return Partition(
                        partitionIndex: index, committedOffset: offset, committedLeaderEpoch: epoch,
                        metadata: try reader.readNullableInt16String(), errorCode: try reader.readErrorCode())
                })
        }
        let errorCode = version >= 2 ? try reader.readErrorCode() : .noError
        return OffsetFetchResponse(throttleTimeMs: throttleTimeMs, topics: topics, errorCode: errorCode)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 3 { writer.writeInteger(throttleTimeMs) }
        writer.writeKafkaArray(topics) { writer, topic in
            writer.writeInt16String(topic.name)
            writer.writeKafkaArray(topic.partitions) { writer, partition in
                writer.writeInteger(partition.partitionIndex)
                writer.writeInteger(partition.committedOffset)
                if version >= 5 { writer.writeInteger(partition.committedLeaderEpoch) }
                writer.writeInt16String(partition.metadata)
                writer.writeErrorCode(partition.errorCode)
            }
        }
        if version >= 2 { writer.writeErrorCode(errorCode) }
    }
}
