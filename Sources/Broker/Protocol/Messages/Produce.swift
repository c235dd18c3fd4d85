import Wire

// Produce (key 0), v0–8. v3 adds transactional_id (and requires RecordBatch v2 from clients);
// v0–2 are advertised only for old librdkafka's compression check (G1) and carry legacy
// MessageSets, which the broker should refuse. Records are opaque bytes here.
// The response puts throttle_time_ms LAST (G10), unlike most APIs.

/// Produce request: record batches per topic partition.
public struct ProduceRequest: KafkaRequestMessage {
    public typealias Response = ProduceResponse
    public static let apiKey = ApiKey.produce

    /// One partition's records.
    public struct Partition: Equatable, Sendable {
        public var index: Int32
        /// Raw record batch bytes (NULLABLE_BYTES), passed through untouched.
        public var records: [UInt8]?

        /// A partition entry.
        public init(index: Int32, records: [UInt8]?) {
            self.index = index
            self.records = records
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
    public var transactionalId: String?
    /// 0 = no response at all (G9), 1 = leader, -1 = all in-sync replicas.
    public var acks: Int16
    public var timeoutMs: Int32
    public var topics: [Topic]

    /// A request; `transactionalId` only travels in v3+.
    public init(transactionalId: String? = nil, acks: Int16, timeoutMs: Int32, topics: [Topic]) {
        self.transactionalId = transactionalId
        self.acks = acks
        self.timeoutMs = timeoutMs
        self.topics = topics
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let transactionalId = version >= 3 ? try reader.readNullableInt16String() : nil
        let acks = try reader.readInt16()
        let timeoutMs = try reader.readInt32()
        let topics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(
                name: try reader.readInt16String(),
                partitions: try reader.readKafkaArray(minElementBytes: 8) { reader throws(DecodeError) in
                    Partition(index: try reader.readInt32(), records: try reader.readNullableInt32Bytes())
                })
        }
        return ProduceRequest(transactionalId: transactionalId, acks: acks, timeoutMs: timeoutMs, topics: topics)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 3 { writer.writeInt16String(transactionalId) }
        writer.writeInteger(acks)
        writer.writeInteger(timeoutMs)
        writer.writeKafkaArray(topics) { writer, topic in
            writer.writeInt16String(topic.name)
            writer.writeKafkaArray(topic.partitions) { writer, partition in
                writer.writeInteger(partition.index)
                writer.writeInt32Bytes(partition.records)
            }
        }
    }
}

/// Produce response: the offset assigned to each partition's first record, or an error.
public struct ProduceResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.produce

    /// Why one batch of a partition was refused (v8+).
    public struct RecordError: Equatable, Sendable {
        public var batchIndex: Int32
        public var batchIndexErrorMessage: String?

        /// A record error entry.
        public init(batchIndex: Int32, batchIndexErrorMessage: String? = nil) {
            self.batchIndex = batchIndex
            self.batchIndexErrorMessage = batchIndexErrorMessage
        }
    }

    /// One partition's outcome.
    public struct Partition: Equatable, Sendable {
        public var index: Int32
        public var errorCode: KafkaErrorCode
        /// First offset assigned to the partition's records.
        public var baseOffset: Int64
        /// v2+; -1 under CreateTime.
        public var logAppendTimeMs: Int64
        /// v5+.
        public var logStartOffset: Int64
        /// v8+.
        public var recordErrors: [RecordError]
        /// v8+.
        public var errorMessage: String?

        /// A partition entry; fields absent in a version keep their defaults.
        public init(
            index: Int32, errorCode: KafkaErrorCode = .noError, baseOffset: Int64, logAppendTimeMs: Int64 = -1,
            logStartOffset: Int64 = -1, recordErrors: [RecordError] = [], errorMessage: String? = nil
        ) {
            self.index = index
            self.errorCode = errorCode
            self.baseOffset = baseOffset
            self.logAppendTimeMs = logAppendTimeMs
            self.logStartOffset = logStartOffset
            self.recordErrors = recordErrors
            self.errorMessage = errorMessage
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

    public var topics: [Topic]
    /// v1+, encoded after `topics`.
    public var throttleTimeMs: Int32

    /// A response; `throttleTimeMs` only travels in v1+.
    public init(topics: [Topic], throttleTimeMs: Int32 = 0) {
        self.topics = topics
        self.throttleTimeMs = throttleTimeMs
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let topics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(
                name: try reader.readInt16String(),
                partitions: try reader.readKafkaArray(minElementBytes: 14) { reader throws(DecodeError) in
                    try Partition.decode(from: &reader, version: version)
                })
        }
        let throttleTimeMs = version >= 1 ? try reader.readInt32() : 0
        return ProduceResponse(topics: topics, throttleTimeMs: throttleTimeMs)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeKafkaArray(topics) { writer, topic in
            writer.writeInt16String(topic.name)
            writer.writeKafkaArray(topic.partitions) { writer, partition in
                partition.encode(into: &writer, version: version)
            }
        }
        if version >= 1 { writer.writeInteger(throttleTimeMs) }
    }
}

extension ProduceResponse.Partition {
    static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        var partition = Self(
            index: try reader.readInt32(), errorCode: try reader.readErrorCode(), baseOffset: try reader.readInt64())
        if version >= 2 { partition.logAppendTimeMs = try reader.readInt64() }
        if version >= 5 { partition.logStartOffset = try reader.readInt64() }
        if version >= 8 {
            partition.recordErrors = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
                ProduceResponse.RecordError(
                    batchIndex: try reader.readInt32(), batchIndexErrorMessage: try reader.readNullableInt16String())
            }
            partition.errorMessage = try reader.readNullableInt16String()
        }
        return partition
    }

    func encode(into writer: inout ByteWriter, version: Int16) {
        writer.writeInteger(index)
        writer.writeErrorCode(errorCode)
        writer.writeInteger(baseOffset)
        if version >= 2 { writer.writeInteger(logAppendTimeMs) }
        if version >= 5 { writer.writeInteger(logStartOffset) }
        if version >= 8 {
            writer.writeKafkaArray(recordErrors) { writer, error in
                writer.writeInteger(error.batchIndex)
                writer.writeInt16String(error.batchIndexErrorMessage)
            }
            writer.writeInt16String(errorMessage)
        }
    }
}
