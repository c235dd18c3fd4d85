import Wire

// Fetch response, v4–11. `records` is always written non-null, length 0 when empty (G6:
// librdkafka treats -1 as a parse failure). `preferred_read_replica` (v11) must stay -1 and
// `last_stable_offset` should equal the high watermark for read_committed consumers.

/// Fetch response: record bytes and offsets per partition.
public struct FetchResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.fetch

    /// A transaction aborted inside the returned range (v4+).
    public struct AbortedTransaction: Equatable, Sendable {
        public var producerId: Int64
        public var firstOffset: Int64

        /// An aborted-transaction entry.
        public init(producerId: Int64, firstOffset: Int64) {
            self.producerId = producerId
            self.firstOffset = firstOffset
        }
    }

    /// One partition's data.
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: KafkaErrorCode
        public var highWatermark: Int64
        /// v4+.
        public var lastStableOffset: Int64
        /// v5+.
        public var logStartOffset: Int64
        /// v4+; nil or empty when there are no transactions.
        public var abortedTransactions: [AbortedTransaction]?
        /// v11+; must be -1 or librdkafka redirects (G6).
        public var preferredReadReplica: Int32
        /// Whole record batches, opaque here; nil is written as empty. Decoded, they are a view
        /// into the response frame, not a copy.
        public var records: SharedBytes?

        /// A partition entry; fields absent in a version keep their defaults.
        public init(
            partitionIndex: Int32, errorCode: KafkaErrorCode = .noError, highWatermark: Int64,
            lastStableOffset: Int64 = -1, logStartOffset: Int64 = -1, abortedTransactions: [AbortedTransaction]? = nil,
            preferredReadReplica: Int32 = -1, records: SharedBytes?
        ) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.highWatermark = highWatermark
            self.lastStableOffset = lastStableOffset
            self.logStartOffset = logStartOffset
            self.abortedTransactions = abortedTransactions
            self.preferredReadReplica = preferredReadReplica
            self.records = records
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

    public var throttleTimeMs: Int32
    /// v7+; top-level (fetch session) error.
    public var errorCode: KafkaErrorCode
    /// v7+; 0 = no fetch session.
    public var sessionId: Int32
    public var topics: [Topic]

    /// A response; fields absent in a version keep their defaults.
    public init(
        throttleTimeMs: Int32 = 0, errorCode: KafkaErrorCode = .noError, sessionId: Int32 = 0, topics: [Topic]
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.sessionId = sessionId
        self.topics = topics
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        var response = FetchResponse(throttleTimeMs: try reader.readInt32(), topics: [])
        if version >= 7 {
            response.errorCode = try reader.readErrorCode()
            response.sessionId = try reader.readInt32()
        }
        response.topics = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Topic(
                topic: try reader.readInt16String(),
                partitions: try reader.readKafkaArray(minElementBytes: 30) { reader throws(DecodeError) in
                    try Partition.decode(from: &reader, version: version)
                })
        }
        return response
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInteger(throttleTimeMs)
        if version >= 7 {
            writer.writeErrorCode(errorCode)
            writer.writeInteger(sessionId)
        }
        writer.writeKafkaArray(topics) { writer, topic in
            writer.writeInt16String(topic.topic)
            writer.writeKafkaArray(topic.partitions) { writer, partition in
                partition.encode(into: &writer, version: version)
            }
        }
    }
}

extension FetchResponse.Partition {
    static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        var partition = Self(
            partitionIndex: try reader.readInt32(), errorCode: try reader.readErrorCode(),
            highWatermark: try reader.readInt64(), lastStableOffset: try reader.readInt64(), records: nil)
        if version >= 5 { partition.logStartOffset = try reader.readInt64() }
        partition.abortedTransactions = try reader.readNullableKafkaArray(minElementBytes: 16) {
            reader throws(DecodeError) in
            FetchResponse.AbortedTransaction(producerId: try reader.readInt64(), firstOffset: try reader.readInt64())
        }
        if version >= 11 { partition.preferredReadReplica = try reader.readInt32() }
        partition.records = try reader.readNullableInt32SharedBytes()
        return partition
    }

    func encode(into writer: inout ByteWriter, version: Int16) {
        encodeFields(into: &writer, version: version)
        writer.writeInteger(Int32(records?.count ?? 0))
        if let records { writer.writeBytes(records.bytes) }
    }

    /// Every field before `records`, so the broker can send the record bytes from their own buffer.
    func encodeFields(into writer: inout ByteWriter, version: Int16) {
        writer.writeInteger(partitionIndex)
        writer.writeErrorCode(errorCode)
        writer.writeInteger(highWatermark)
        writer.writeInteger(lastStableOffset)
        if version >= 5 { writer.writeInteger(logStartOffset) }
        writer.writeNullableKafkaArray(abortedTransactions) { writer, aborted in
            writer.writeInteger(aborted.producerId)
            writer.writeInteger(aborted.firstOffset)
        }
        if version >= 11 { writer.writeInteger(preferredReadReplica) }
    }
}
