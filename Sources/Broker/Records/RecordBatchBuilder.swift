import Wire

/// Builds one uncompressed record batch v2 record by record, writing each record straight into the
/// batch bytes so a producer does no per-record allocation beyond the key and value it passes in.
public struct RecordBatchBuilder: Sendable {
    /// Producer id, -1 when not idempotent.
    public var producerId: Int64
    /// Producer epoch, -1 when not idempotent.
    public var producerEpoch: Int16
    /// Sequence of the first record, -1 when not idempotent.
    public var baseSequence: Int32
    /// Written into the header; the broker may overwrite it.
    public var partitionLeaderEpoch: Int32
    /// Marks the batch as part of a transaction.
    public var isTransactional: Bool

    private var writer: ByteWriter
    private var baseTimestampMs: Int64 = 0
    private var maxTimestampMs: Int64 = -1
    /// Records appended since the builder was created or last finished.
    public private(set) var recordCount: Int32 = 0

    /// A builder for a non-idempotent batch unless the producer fields are given.
    public init(
        producerId: Int64 = -1, producerEpoch: Int16 = -1, baseSequence: Int32 = -1, partitionLeaderEpoch: Int32 = -1,
        isTransactional: Bool = false, capacityBytes: Int = 16384
    ) {
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.isTransactional = isTransactional
        writer = ByteWriter(capacity: max(capacityBytes, RecordBatchHeader.size))
        writer.writeBytes([UInt8](repeating: 0, count: RecordBatchHeader.size))
    }

    /// Bytes the batch would take if finished now.
    public var sizeBytes: Int { writer.count }

    /// True when no record has been appended.
    public var isEmpty: Bool { recordCount == 0 }

    /// Appends one record; its offset is its position in the batch.
    public mutating func append(timestampMs: Int64, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []) {
        precondition(recordCount < Int32.max, "a batch holds at most Int32.max records")
        if recordCount == 0 { baseTimestampMs = timestampMs }
        maxTimestampMs = recordCount == 0 ? timestampMs : max(maxTimestampMs, timestampMs)
        let timestampDelta = timestampMs &- baseTimestampMs
        var bodyBytes = 1 + VarintSize.of64(timestampDelta) + VarintSize.of32(recordCount)
        bodyBytes += VarintSize.ofField(key?.count) + VarintSize.ofField(value?.count)
        bodyBytes += VarintSize.of32(Int32(headers.count))
        for header in headers {
            bodyBytes += VarintSize.ofField(header.key.utf8.count) + VarintSize.ofField(header.value?.count)
        }
        writer.reserve(bodyBytes + 5)
        writer.writeVarint32(Int32(bodyBytes))
        writer.writeByte(0)
        writer.writeVarint64(timestampDelta)
        writer.writeVarint32(recordCount)
        writer.writeVarintBytes(key)
        writer.writeVarintBytes(value)
        writer.writeVarint32(Int32(headers.count))
        for header in headers {
            writer.writeVarintString(header.key)
            writer.writeVarintBytes(header.value)
        }
        recordCount += 1
    }

    /// Returns the finished batch (lengths, timestamps and CRC set) and empties the builder.
    public mutating func finish(baseOffset: Int64 = 0) -> [UInt8] {
        precondition(recordCount > 0, "a record batch needs at least one record")
        var header = ByteWriter(capacity: RecordBatchHeader.size)
        header.writeInteger(baseOffset)
        header.writeInteger(Int32(writer.count - RecordBatchHeader.lengthPrefixBytes))
        header.writeInteger(partitionLeaderEpoch)
        header.writeInteger(RecordBatchHeader.magicV2)
        header.writeInteger(UInt32(0))
        header.writeInteger(Int16(isTransactional ? 0x10 : 0))
        header.writeInteger(recordCount - 1)
        header.writeInteger(baseTimestampMs)
        header.writeInteger(maxTimestampMs)
        header.writeInteger(producerId)
        header.writeInteger(producerEpoch)
        header.writeInteger(baseSequence)
        header.writeInteger(recordCount)
        var bytes = writer.bytes
        writer = ByteWriter(capacity: bytes.count)
        writer.writeBytes([UInt8](repeating: 0, count: RecordBatchHeader.size))
        bytes.replaceSubrange(0..<RecordBatchHeader.size, with: header.bytes)
        let crc = RecordBatchHeader.computeCRC(bytes, range: 0..<bytes.count)
        RecordBatchHeader.store(crc, in: &bytes, at: RecordBatchHeader.crcOffset)
        recordCount = 0
        maxTimestampMs = -1
        return bytes
    }
}

/// Encoded sizes of Kafka's zig-zag varints, so a record's length prefix is known before writing it.
enum VarintSize {
    /// Bytes of the zig-zag varint of a 32-bit value.
    @inline(__always) static func of32(_ value: Int32) -> Int {
        unsigned(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    /// Bytes of the zig-zag varlong of a 64-bit value.
    @inline(__always) static func of64(_ value: Int64) -> Int {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Bytes of a varint-length-prefixed field of `count` bytes, or of a null (-1) field.
    @inline(__always) static func ofField(_ count: Int?) -> Int {
        guard let count else { return 1 }
        return of32(Int32(count)) + count
    }

    @inline(__always) static func unsigned(_ value: UInt64) -> Int {
        max(1, (64 - value.leadingZeroBitCount + 6) / 7)
    }
}
