import Wire

/// Why a record batch was refused; every case carries the byte position where it gave up.
public enum RecordBatchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes remained than the header or the declared batch length needs.
    case shortBatch(needed: Int, available: Int, at: Int)
    /// The magic byte is not 2: a legacy MessageSet (0/1) or garbage.
    case badMagic(Int8, at: Int)
    /// `batchLength` is below the v2 header size or above the allowed maximum.
    case badLength(Int32, at: Int)
    /// The stored CRC-32C does not match the bytes from attributes to the end of the batch.
    case badCRC(stored: UInt32, computed: UInt32, at: Int)
    /// The batch is larger than the log accepts in one batch.
    case batchTooLarge(bytes: Int, limit: Int, at: Int)
    /// `lastOffsetDelta` is negative, so the batch would not advance the log.
    case badOffsetDelta(Int32, at: Int)
    /// `recordCount` disagrees with `lastOffsetDelta + 1`, which Kafka requires of produced batches.
    case recordCountMismatch(recordCount: Int32, lastOffsetDelta: Int32, at: Int)
    /// A produce blob held no batch at all.
    case noBatches
    /// The records are compressed (codec = attributes & 7), which Spate's decoder does not inflate.
    case compressionUnsupported(codec: Int, at: Int)
    /// A record inside an uncompressed batch does not parse.
    case malformedRecord(DecodeError, record: Int, at: Int)

    /// The Produce error code the broker answers with for this refusal.
    public var kafkaErrorCode: KafkaErrorCode {
        switch self {
        case .badMagic: .unsupportedForMessageFormat
        case .batchTooLarge: .messageTooLarge
        // Deterministic refusals are not retriable (CORRUPT_MESSAGE is), as in Kafka's LogValidator.
        case .badOffsetDelta, .recordCountMismatch, .noBatches: .invalidRecord
        case .shortBatch, .badLength, .badCRC, .compressionUnsupported, .malformedRecord: .corruptMessage
        }
    }

    public var description: String {
        switch self {
        case .shortBatch(let needed, let available, let at):
            return "record batch at byte \(at) is short: needed \(needed) bytes, \(available) available"
        case .badMagic(let magic, let at):
            return "record batch at byte \(at) has magic \(magic); only magic 2 (record batch v2) is supported"
        case .badLength(let length, let at):
            return "record batch at byte \(at) has an invalid batchLength \(length)"
        case .badCRC(let stored, let computed, let at):
            return "record batch at byte \(at) fails its CRC-32C: stored \(hex(stored)), computed \(hex(computed))"
        case .batchTooLarge(let bytes, let limit, let at):
            return "record batch at byte \(at) is \(bytes) bytes, over the limit of \(limit)"
        case .badOffsetDelta(let delta, let at):
            return "record batch at byte \(at) has a negative lastOffsetDelta \(delta)"
        case .recordCountMismatch(let count, let delta, let at):
            return "record batch at byte \(at) has recordCount \(count) but lastOffsetDelta \(delta)"
        case .noBatches:
            return "the records field holds no record batch"
        case .compressionUnsupported(let codec, let at):
            return "record batch at byte \(at) is compressed (codec \(codec)); Spate's decoder reads only "
                + "uncompressed batches"
        case .malformedRecord(let error, let record, let at):
            return "record \(record) of the batch at byte \(at) is malformed: \(error)"
        }
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
