import Wire

/// The records of one source partition a batch reads: `[start, end)`.
public struct SourceRange: Sendable, Hashable {
    /// The source partition.
    public var partition: Int32
    /// The first offset read.
    public var start: Int64
    /// One past the last offset read; `start` when the batch reads nothing from the partition.
    public var end: Int64

    /// A range; `start <= end`.
    public init(partition: Int32, start: Int64, end: Int64) {
        precondition(start <= end, "range of partition \(partition) ends before it starts")
        self.partition = partition
        self.start = start
        self.end = end
    }

    /// Records in the range.
    public var count: Int64 { end - start }
}

/// `offsets/N`: what batch N reads and the watermark it runs with, written (and fsynced) before
/// any of its tasks runs, so a restart re-runs exactly the same batch.
public struct OffsetEntry: Sendable, Equatable {
    /// The batch id N.
    public var batchId: Int64
    /// The source topic.
    public var topic: String
    /// One range per source partition, ascending by partition.
    public var ranges: [SourceRange]
    /// The event-time watermark the batch runs with; nil before any event time was seen.
    public var watermarkMs: Int64?
    /// Wall-clock time the batch was planned (ms since the epoch).
    public var plannedAtMs: Int64

    /// An offsets entry.
    public init(batchId: Int64, topic: String, ranges: [SourceRange], watermarkMs: Int64?, plannedAtMs: Int64) {
        precondition(batchId >= 0, "batch ids start at 0")
        precondition(zip(ranges, ranges.dropFirst()).allSatisfy { $0.partition < $1.partition }, "ranges unordered")
        self.batchId = batchId
        self.topic = topic
        self.ranges = ranges
        self.watermarkMs = watermarkMs
        self.plannedAtMs = plannedAtMs
    }

    /// Records the batch reads over every partition.
    public var recordCount: Int64 { ranges.reduce(0) { $0 + $1.count } }

    /// True for a batch that reads nothing (run because the watermark moved).
    public var isNoData: Bool { recordCount == 0 }

    /// Where each partition's next batch starts.
    public var ends: [Int32: Int64] {
        Dictionary(uniqueKeysWithValues: ranges.map { ($0.partition, $0.end) })
    }

    func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(batchId)
        writer.writeInt16String(topic)
        writer.writeInteger(Int32(ranges.count))
        for range in ranges {
            writer.writeInteger(range.partition)
            writer.writeInteger(range.start)
            writer.writeInteger(range.end)
        }
        writer.writeOptionalInt64(watermarkMs)
        writer.writeInteger(plannedAtMs)
        return writer.bytes
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> OffsetEntry {
        let batchAt = reader.readerIndex
        let batchId = try reader.readInt64()
        guard batchId >= 0 else { throw .invalidValue("negative batch id \(batchId)", at: batchAt) }
        let topic = try reader.readInt16String()
        let countAt = reader.readerIndex
        guard let count = try reader.readArrayCount(minElementBytes: 20) else { throw .invalidLength(-1, at: countAt) }
        var ranges: [SourceRange] = []
        for _ in 0..<count {
            let at = reader.readerIndex
            let partition = try reader.readInt32()
            let start = try reader.readInt64()
            let end = try reader.readInt64()
            guard start >= 0, start <= end, ranges.last.map({ $0.partition < partition }) ?? true else {
                throw .invalidValue("bad range \(partition) [\(start), \(end))", at: at)
            }
            ranges.append(SourceRange(partition: partition, start: start, end: end))
        }
        let watermark = try reader.readOptionalInt64()
        let planned = try reader.readInt64()
        return OffsetEntry(batchId: batchId, topic: topic, ranges: ranges, watermarkMs: watermark, plannedAtMs: planned)
    }
}

extension ByteWriter {
    /// A presence byte, then the value when present.
    mutating func writeOptionalInt64(_ value: Int64?) {
        writeBool(value != nil)
        if let value { writeInteger(value) }
    }
}

extension ByteReader {
    /// Reads what `writeOptionalInt64` wrote.
    mutating func readOptionalInt64() throws(DecodeError) -> Int64? {
        try readBool() ? try readInt64() : nil
    }
}
