import Wire

// ListOffsets (key 2), v1–5. Timestamp -2 asks for the earliest offset, -1 for the latest
// (the last stable offset under read_committed). v2 adds isolation_level, v4 leader epochs.

/// ListOffsets request: which offset each partition has at a timestamp.
public struct ListOffsetsRequest: KafkaRequestMessage {
    public typealias Response = ListOffsetsResponse
    public static let apiKey = ApiKey.listOffsets

    /// One partition to look up.
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        /// v4+.
        public var currentLeaderEpoch: Int32
        /// -2 = earliest, -1 = latest, else a timestamp in ms.
        public var timestamp: Int64

        /// A partition entry; `currentLeaderEpoch` only travels in v4+.
        public init(partitionIndex: Int32, currentLeaderEpoch: Int32 = -1, timestamp: Int64) {
            self.partitionIndex = partitionIndex
            self.currentLeaderEpoch = currentLeaderEpoch
            self.timestamp = timestamp
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

    /// -1 for consumers.
    public var replicaId: Int32
    /// v2+; 0 = read_uncommitted, 1 = read_committed.
    public var isolationLevel: Int8
    public var topics: [Topic]

    /// A request; `isolationLevel` only travels in v2+.
    public init(replicaId: Int32 = -1, isolationLevel: Int8 = 0, topics: [Topic]) {
        self.replicaId = replicaId
        self.isolationLevel = isolationLevel
        self.topics = topics
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let replicaId = try reader.readInt32()
        let isolationLevel = version >= 2 ? try reader.readInt8() : 0
        let topics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(
                name: try reader.readInt16String(),
                partitions: try reader.readKafkaArray(minElementBytes: 12) { reader throws(DecodeError) in
                    let index = try reader.readInt32()
                    let epoch = version >= 4 ? try reader.readInt32() : -1
                    return Partition(
                        partitionIndex: index, currentLeaderEpoch: epoch, timestamp: try reader.readInt64())
                })
        }
        return ListOffsetsRequest(replicaId: replicaId, isolationLevel: isolationLevel, topics: topics)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInteger(replicaId)
        if version >= 2 { writer.writeInteger(isolationLevel) }
        writer.writeKafkaArray(topics) { writer, topic in
            writer.writeInt16String(topic.name)
            writer.writeKafkaArray(topic.partitions) { writer, partition in
                writer.writeInteger(partition.partitionIndex)
                if version >= 4 { writer.writeInteger(partition.currentLeaderEpoch) }
                writer.writeInteger(partition.timestamp)
            }
        }
    }
}

/// ListOffsets response: the offset found per partition.
public struct ListOffsetsResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.listOffsets

    /// One partition's answer.
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: KafkaErrorCode
        public var timestamp: Int64
        public var offset: Int64
        /// v4+.
        public var leaderEpoch: Int32

        /// A partition entry; `leaderEpoch` only travels in v4+.
        public init(
            partitionIndex: Int32, errorCode: KafkaErrorCode = .noError, timestamp: Int64 = -1, offset: Int64 = -1,
            leaderEpoch: Int32 = -1
        ) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.timestamp = timestamp
            self.offset = offset
            self.leaderEpoch = leaderEpoch
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

    /// v2+.
    public var throttleTimeMs: Int32
    public var topics: [Topic]

    /// A response; `throttleTimeMs` only travels in v2+.
    public init(throttleTimeMs: Int32 = 0, topics: [Topic]) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let throttleTimeMs = version >= 2 ? try reader.readInt32() : 0
        let topics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(
                name: try reader.readInt16String(),
                partitions: try reader.readKafkaArray(minElementBytes: 22) { reader throws(DecodeError) in
                    var partition = Partition(
                        partitionIndex: try reader.readInt32(), errorCode: try reader.readErrorCode(),
                        timestamp: try reader.readInt64(), offset: try reader.readInt64())
                    if version >= 4 { partition.leaderEpoch = try reader.readInt32() }
                    return partition
                })
        }
        return ListOffsetsResponse(throttleTimeMs: throttleTimeMs, topics: topics)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 2 { writer.writeInteger(throttleTimeMs) }
        writer.writeKafkaArray(topics) { writer, topic in
            writer.writeInt16String(topic.name)
            writer.writeKafkaArray(topic.partitions) { writer, partition in
                writer.writeInteger(partition.partitionIndex)
                writer.writeErrorCode(partition.errorCode)
                writer.writeInteger(partition.timestamp)
                writer.writeInteger(partition.offset)
                if version >= 4 { writer.writeInteger(partition.leaderEpoch) }
            }
        }
    }
}
