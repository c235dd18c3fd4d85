import Wire

/// `commits/N`: batch N's results are durable everywhere (state, sink, dead letters); the next
/// batch starts after its ranges and runs with `nextWatermarkMs`.
public struct CommitEntry: Sendable, Equatable {
    /// The batch id N.
    public var batchId: Int64
    /// The watermark after N: max(N's watermark, N's largest event time − delay).
    public var nextWatermarkMs: Int64?
    /// Source records the batch read.
    public var inputRecords: Int64
    /// Rows the sink received.
    public var outputRows: Int64
    /// Records sent to the dead-letter topic.
    public var deadLetters: Int64
    /// Wall-clock time of the commit (ms since the epoch).
    public var committedAtMs: Int64

    /// A commit entry.
    public init(
        batchId: Int64, nextWatermarkMs: Int64?, inputRecords: Int64, outputRows: Int64, deadLetters: Int64,
        committedAtMs: Int64
    ) {
        precondition(batchId >= 0, "batch ids start at 0")
        self.batchId = batchId
        self.nextWatermarkMs = nextWatermarkMs
        self.inputRecords = inputRecords
        self.outputRows = outputRows
        self.deadLetters = deadLetters
        self.committedAtMs = committedAtMs
    }

    func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(batchId)
        writer.writeOptionalInt64(nextWatermarkMs)
        writer.writeInteger(inputRecords)
        writer.writeInteger(outputRows)
        writer.writeInteger(deadLetters)
        writer.writeInteger(committedAtMs)
        return writer.bytes
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> CommitEntry {
        let at = reader.readerIndex
        let batchId = try reader.readInt64()
        let watermark = try reader.readOptionalInt64()
        let input = try reader.readInt64()
        let output = try reader.readInt64()
        let dead = try reader.readInt64()
        let committed = try reader.readInt64()
        guard batchId >= 0, input >= 0, output >= 0, dead >= 0 else {
            throw .invalidValue("negative batch id or count", at: at)
        }
        return CommitEntry(
            batchId: batchId, nextWatermarkMs: watermark, inputRecords: input, outputRows: output, deadLetters: dead,
            committedAtMs: committed)
    }
}
