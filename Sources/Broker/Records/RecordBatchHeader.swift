import Wire

/// The fixed 61-byte header of a record batch v2 (magic 2), all fields big-endian.
public struct RecordBatchHeader: Equatable, Sendable {
    /// Bytes in the header.
    public static let size = 61
    /// Bytes before `batchLength` starts counting (baseOffset and batchLength themselves).
    public static let lengthPrefixBytes = 12
    /// The only magic this header describes.
    public static let magicV2: Int8 = 2
    /// Smallest legal `batchLength`: a header with no records.
    public static let batchLengthMin = Int32(size - lengthPrefixBytes)

    static let partitionLeaderEpochOffset = 12
    static let magicOffset = 16
    static let crcOffset = 17
    /// The CRC covers attributes through the end of the batch.
    static let attributesOffset = 21

    public var baseOffset: Int64
    /// Bytes after this field: the whole batch is `batchLength + 12` bytes.
    public var batchLength: Int32
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    public var crc: UInt32
    public var attributes: Int16
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordCount: Int32

    /// Bytes of the whole batch, header included.
    @inlinable public var totalBytes: Int { Int(batchLength) + Self.lengthPrefixBytes }
    /// Offset of the batch's last record.
    @inlinable public var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
    /// Offset the record after this batch gets: the log end offset once it is appended.
    @inlinable public var nextOffset: Int64 { lastOffset + 1 }
    /// Compression codec: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd.
    @inlinable public var compressionCodec: Int { Int(attributes & 0x7) }
    /// True when record timestamps were set by the broker (LogAppendTime), not the producer.
    @inlinable public var isLogAppendTime: Bool { attributes & 0x8 != 0 }
    /// True for batches written inside a transaction.
    @inlinable public var isTransactional: Bool { attributes & 0x10 != 0 }
    /// True for transaction markers, which consumers skip.
    @inlinable public var isControl: Bool { attributes & 0x20 != 0 }

    /// Parses and checks the header at byte `position` of `bytes` (magic, length floor, offset delta).
    public static func parse(_ bytes: [UInt8], at position: Int = 0) throws(RecordBatchError) -> RecordBatchHeader {
        guard position >= 0, position <= bytes.count else {
            throw .shortBatch(needed: size, available: 0, at: position)
        }
        return try bytes.withBytes { raw throws(RecordBatchError) in
            try parse(UnsafeRawBufferPointer(rebasing: raw[position...]), at: position)
        }
    }

    /// Parses and checks the header at the start of `buffer`; `position` only labels errors.
    public static func parse(_ buffer: UnsafeRawBufferPointer, at position: Int) throws(RecordBatchError)
        -> RecordBatchHeader
    {
        // Legacy MessageSets also keep their magic at byte 16, so look at it before trusting any length.
        guard buffer.count > magicOffset else {
            throw .shortBatch(needed: size, available: buffer.count, at: position)
        }
        let magic = Int8(bitPattern: buffer[magicOffset])
        guard magic == magicV2 else { throw .badMagic(magic, at: position) }
        guard buffer.count >= size else { throw .shortBatch(needed: size, available: buffer.count, at: position) }
        let header = RecordBatchHeader(
            baseOffset: load(buffer, 0), batchLength: load(buffer, 8), partitionLeaderEpoch: load(buffer, 12),
            magic: magic, crc: load(buffer, 17), attributes: load(buffer, 21), lastOffsetDelta: load(buffer, 23),
            baseTimestamp: load(buffer, 27), maxTimestamp: load(buffer, 35), producerId: load(buffer, 43),
            producerEpoch: load(buffer, 51), baseSequence: load(buffer, 53), recordCount: load(buffer, 57))
        guard header.batchLength >= batchLengthMin else { throw .badLength(header.batchLength, at: position) }
        guard header.lastOffsetDelta >= 0 else { throw .badOffsetDelta(header.lastOffsetDelta, at: position) }
        return header
    }

    @inline(__always)
    private static func load<T: FixedWidthInteger>(_ buffer: UnsafeRawBufferPointer, _ offset: Int) -> T {
        T(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Throws unless `recordCount == lastOffsetDelta + 1`, which every freshly produced batch satisfies.
    public func checkRecordCount(at position: Int) throws(RecordBatchError) {
        guard recordCount > 0, Int64(recordCount) == Int64(lastOffsetDelta) + 1 else {
            throw .recordCountMismatch(recordCount: recordCount, lastOffsetDelta: lastOffsetDelta, at: position)
        }
    }

    // MARK: CRC

    /// Checks the CRC-32C of one whole batch held in `batch`; `position` only labels errors.
    public static func verifyCRC(_ batch: UnsafeRawBufferPointer, at position: Int) throws(RecordBatchError) {
        guard batch.count >= size else { throw .shortBatch(needed: size, available: batch.count, at: position) }
        let stored: UInt32 = load(batch, crcOffset)
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: batch[attributesOffset...]))
        guard stored == computed else { throw .badCRC(stored: stored, computed: computed, at: position) }
    }

    /// Checks the CRC-32C of the whole batch occupying `range` of `bytes`.
    public static func verifyCRC(_ bytes: [UInt8], range: Range<Int>) throws(RecordBatchError) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "batch range outside the bytes")
        try bytes.withBytes { raw throws(RecordBatchError) in
            try verifyCRC(UnsafeRawBufferPointer(rebasing: raw[range]), at: range.lowerBound)
        }
    }

    /// The CRC-32C a batch occupying `range` of `bytes` should carry.
    public static func computeCRC(_ bytes: [UInt8], range: Range<Int>) -> UInt32 {
        precondition(range.count >= size, "a batch is at least a header long")
        return CRC32C.checksum(bytes, range: (range.lowerBound + attributesOffset)..<range.upperBound)
    }

    // MARK: patching fields outside the CRC

    /// Overwrites the baseOffset of the batch starting at `batchStart`; the CRC stays valid.
    public static func setBaseOffset(_ offset: Int64, in bytes: inout [UInt8], batchStart: Int) {
        store(offset, in: &bytes, at: batchStart)
    }

    /// Overwrites the partitionLeaderEpoch of the batch starting at `batchStart`; the CRC stays valid.
    public static func setPartitionLeaderEpoch(_ epoch: Int32, in bytes: inout [UInt8], batchStart: Int) {
        store(epoch, in: &bytes, at: batchStart + partitionLeaderEpochOffset)
    }

    static func store<T: FixedWidthInteger>(_ value: T, in bytes: inout [UInt8], at offset: Int) {
        precondition(offset >= 0 && offset + MemoryLayout<T>.size <= bytes.count, "patch outside the bytes")
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self) }
    }
}
