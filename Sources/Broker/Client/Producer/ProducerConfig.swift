/// How many acknowledgements a produce request waits for.
public enum Acks: Int16, Sendable, CaseIterable {
    /// No response at all (G9): a record counts as delivered once written to the socket.
    case none = 0
    /// The leader has appended it.
    case leader = 1
    /// Every in-sync replica has it (`acks=all`, -1).
    case all = -1
}

/// Settings of a `KafkaProducer`; defaults follow Kafka's Java producer where it has one.
public struct ProducerConfig: Sendable {
    public var acks: Acks
    /// How long a batch may wait for more records before it is sent (`linger.ms`).
    public var lingerMs: Int
    /// A batch is sent once it reaches this size (`batch.size`).
    public var batchBytes: Int
    /// Largest single record (key, value and headers); a larger one is refused at `send`.
    public var recordBytesMax: Int
    /// Bytes of batches one produce request may carry (`max.request.size`, per request).
    public var requestBytesMax: Int
    /// Bytes of records waiting or in flight before `send` blocks (`buffer.memory`).
    public var bufferBytesMax: Int
    /// How long `send` may block on a full buffer or missing metadata (`max.block.ms`).
    public var maxBlockMs: Int
    /// How long a record may take, retries included, before it is reported failed (`delivery.timeout.ms`).
    public var deliveryTimeoutMs: Int
    /// Produce requests in flight per broker (`max.in.flight.requests.per.connection`).
    public var inFlightRequestsMax: Int
    /// Use InitProducerId and sequence numbers so retries never duplicate (only with `acks = .all`).
    public var idempotent: Bool
    /// Ask the broker to create unknown topics, as Kafka producers do.
    public var allowAutoCreateTopics: Bool

    /// A configuration with the given acks and Kafka-like defaults elsewhere.
    public init(acks: Acks = .all, lingerMs: Int = 5, batchBytes: Int = 512 << 10, idempotent: Bool = true) {
        self.acks = acks
        self.lingerMs = lingerMs
        self.batchBytes = batchBytes
        self.idempotent = idempotent
        recordBytesMax = 1 << 20
        requestBytesMax = 8 << 20
        bufferBytesMax = 64 << 20
        maxBlockMs = 60_000
        deliveryTimeoutMs = 120_000
        inFlightRequestsMax = 5
        allowAutoCreateTopics = true
    }

    /// True when batches carry a producer id and sequence numbers.
    public var usesIdempotence: Bool { idempotent && acks == .all }

    /// Why this configuration cannot work, or nil when it can.
    public var problem: String? {
        if lingerMs < 0 || maxBlockMs < 0 { return "lingerMs and maxBlockMs must not be negative" }
        if batchBytes < RecordBatchHeader.size || recordBytesMax < 1 {
            return "batchBytes and recordBytesMax are too small"
        }
        if requestBytesMax < batchBytes { return "requestBytesMax must be at least batchBytes" }
        if bufferBytesMax < recordBytesMax + batchBytes { return "bufferBytesMax must hold a full batch and a record" }
        if deliveryTimeoutMs < 1 || inFlightRequestsMax < 1 {
            return "deliveryTimeoutMs and inFlightRequestsMax must be positive"
        }
        return nil
    }
}

/// One record to produce.
public struct ProducerRecord: Sendable {
    public var topic: String
    /// nil lets the partitioner choose: murmur2 of the key, or sticky round-robin for a null key.
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]
    /// CreateTime in ms since the epoch; nil means now.
    public var timestampMs: Int64?

    /// A record for `topic`.
    public init(
        topic: String, key: [UInt8]? = nil, value: [UInt8]?, headers: [RecordHeader] = [], partition: Int32? = nil,
        timestampMs: Int64? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
        self.timestampMs = timestampMs
    }

    /// Bytes the record adds to a batch at most (fields plus worst-case varint framing).
    var encodedBytesBound: Int {
        var bytes = 21 + (key?.count ?? 0) + (value?.count ?? 0) + 5 * 3
        for header in headers { bytes += header.key.utf8.count + (header.value?.count ?? 0) + 10 }
        return bytes
    }
}

/// What happened to one batch of records; `tickets` are the values `send` returned for them.
public struct DeliveryReport: Sendable {
    public var topic: String
    public var partition: Int32
    /// Offset of the batch's first record; nil under `acks = .none` or on failure.
    public var baseOffset: Int64?
    public var tickets: [UInt64]
    /// nil when the batch was acknowledged.
    public var error: KafkaClientError?
}

/// The outcome of every record finished since the previous flush.
public struct FlushReport: Sendable {
    /// Records acknowledged (or, under `acks = .none`, written).
    public var acknowledged: Int
    /// Batches that failed, with the tickets of their records.
    public var failed: [DeliveryReport]

    /// Records that failed.
    public var failedRecords: Int { failed.reduce(0) { $0 + $1.tickets.count } }
}
