/// One batch found inside a larger byte blob: where it sits and its parsed header.
public struct RecordBatchRange: Equatable, Sendable {
    /// The parsed header of the batch.
    public var header: RecordBatchHeader
    /// The bytes of the whole batch within the blob it was split from.
    public var range: Range<Int>

    /// A batch at `range` with `header`.
    public init(header: RecordBatchHeader, range: Range<Int>) {
        self.header = header
        self.range = range
    }
}

/// Splits blobs of concatenated record batches (a Produce partition's `records`, a Fetch reply's
/// `records`) into batches, checking each one's framing and, when asked, its CRC.
public enum RecordBatchSplitter {
    /// Splits a produce blob strictly: every byte must belong to a valid, CRC-checked v2 batch whose
    /// record count matches its offset delta, and each batch must be at most `batchBytesMax` bytes.
    public static func split(
        _ bytes: [UInt8], verifyCRC: Bool = true, batchBytesMax: Int = Int(Int32.max)
    ) throws(RecordBatchError) -> [RecordBatchRange] {
        guard !bytes.isEmpty else { throw .noBatches }
        var batches: [RecordBatchRange] = []
        var position = 0
        while position < bytes.count {
            let batch = try nextBatch(bytes, at: position)
            guard batch.header.totalBytes <= batchBytesMax else {
                throw .batchTooLarge(bytes: batch.header.totalBytes, limit: batchBytesMax, at: position)
            }
            try batch.header.checkRecordCount(at: position)
            if verifyCRC { try RecordBatchHeader.verifyCRC(bytes, range: batch.range) }
            batches.append(batch)
            position = batch.range.upperBound
        }
        return batches
    }

    /// Splits fetched bytes leniently: a trailing partial batch (a broker may cut the last batch at
    /// the size limit) is dropped instead of refused; anything else malformed still throws.
    public static func splitFetched(_ bytes: [UInt8], verifyCRC: Bool = false) throws(RecordBatchError)
        -> [RecordBatchRange]
    {
        try splitFetched(bytes, range: 0..<bytes.count, verifyCRC: verifyCRC)
    }

    /// Splits the fetched bytes at `range` of `bytes` leniently, as `splitFetched(_:verifyCRC:)` does;
    /// batch ranges are positions in `bytes`, and no batch reaches past `range`.
    public static func splitFetched(_ bytes: [UInt8], range: Range<Int>, verifyCRC: Bool = false)
        throws(RecordBatchError) -> [RecordBatchRange]
    {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "fetched range outside the bytes")
        var batches: [RecordBatchRange] = []
        var position = range.lowerBound
        while position < range.upperBound {
            let batch: RecordBatchRange
            do throws(RecordBatchError) {
                batch = try nextBatch(bytes, at: position, end: range.upperBound)
            } catch {
                if case .shortBatch = error { break }
                throw error
            }
            if verifyCRC { try RecordBatchHeader.verifyCRC(bytes, range: batch.range) }
            batches.append(batch)
            position = batch.range.upperBound
        }
        return batches
    }

    /// The batch starting at `position`, whose header and declared length must fit before `end`
    /// (the end of `bytes` when nil).
    static func nextBatch(_ bytes: [UInt8], at position: Int, end: Int? = nil) throws(RecordBatchError)
        -> RecordBatchRange
    {
        let end = end ?? bytes.count
        precondition(position >= 0 && position <= end && end <= bytes.count, "batch position outside the bytes")
        let header = try bytes.withBytes { raw throws(RecordBatchError) in
            try RecordBatchHeader.parse(UnsafeRawBufferPointer(rebasing: raw[position..<end]), at: position)
        }
        let available = end - position
        guard header.totalBytes <= available else {
            throw .shortBatch(needed: header.totalBytes, available: available, at: position)
        }
        return RecordBatchRange(header: header, range: position..<(position + header.totalBytes))
    }
}
