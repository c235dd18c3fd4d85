import Wire

/// Walks the batches of a segment file in order, reading it in chunks, and stops at the first byte
/// that is not a whole, valid batch continuing the expected offsets. Recovery cuts the file there.
struct SegmentScanner {
    /// What lies at the scanner's position.
    enum Step {
        /// A valid batch starting at `position`.
        case batch(RecordBatchHeader, position: Int64)
        /// The scan reached its end position exactly.
        case end
        /// Bytes from `position` on are torn, garbage, out of sequence or fail their CRC.
        case invalid(position: Int64, reason: String)
    }

    let file: SegmentFile
    let endPosition: Int64
    private(set) var position: Int64
    /// Offset the next batch must start at; nil accepts any.
    private(set) var expectedOffset: Int64?
    private let chunkBytes: Int
    private var window: [UInt8] = []
    private var windowStart: Int64 = 0

    /// A scanner over `[start, end)` of `file`; `chunkBytes` is the size of each read.
    init(file: SegmentFile, from start: Int64, to end: Int64, expectedOffset: Int64?, chunkBytes: Int) {
        precondition(chunkBytes >= RecordBatchHeader.size, "a chunk holds at least one header")
        self.file = file
        self.position = start
        self.endPosition = end
        self.expectedOffset = expectedOffset
        self.chunkBytes = chunkBytes
    }

    /// The next batch, or where and why the valid part ends.
    mutating func next(verifyCRC: Bool) throws(LogError) -> Step {
        guard position < endPosition else { return .end }
        let remaining = endPosition - position
        let start = position
        let (bytes, range) = try withWindow(at: start, count: Int(min(remaining, Int64(RecordBatchHeader.size))))
        let header: RecordBatchHeader
        do throws(RecordBatchError) {
            header = try bytes.withBytes { raw throws(RecordBatchError) in
                try RecordBatchHeader.parse(UnsafeRawBufferPointer(rebasing: raw[range]), at: Int(start))
            }
        } catch {
            return .invalid(position: start, reason: error.description)
        }
        guard Int64(header.totalBytes) <= remaining else {
            return .invalid(position: start, reason: "torn batch: \(header.totalBytes) bytes, \(remaining) remain")
        }
        if let expectedOffset, header.baseOffset != expectedOffset {
            return .invalid(position: start, reason: "batch offset \(header.baseOffset), expected \(expectedOffset)")
        }
        if verifyCRC {
            let covered = RecordBatchHeader.attributesOffset
            let computed = try checksum(from: start + Int64(covered), count: header.totalBytes - covered)
            guard computed == header.crc else {
                let error = RecordBatchError.badCRC(stored: header.crc, computed: computed, at: Int(start))
                return .invalid(position: start, reason: error.description)
            }
        }
        position = start + Int64(header.totalBytes)
        expectedOffset = header.nextOffset
        return .batch(header, position: start)
    }

    /// The window holding `[at, at + count)` and the range of those bytes inside it.
    private mutating func withWindow(at: Int64, count: Int) throws(LogError) -> (bytes: [UInt8], range: Range<Int>) {
        let windowEnd = windowStart + Int64(window.count)
        if at < windowStart || at + Int64(count) > windowEnd {
            let readBytes = Int(min(endPosition - at, Int64(max(count, chunkBytes))))
            window = try file.read(at: at, count: readBytes)
            windowStart = at
            guard window.count >= count else {
                throw .corruptSegment(path: file.path, position: at, reason: "file shrank while being read")
            }
        }
        let lower = Int(at - windowStart)
        return (window, lower..<(lower + count))
    }

    /// CRC-32C of `[from, from + count)`, read chunk by chunk so a huge batch never needs one buffer.
    private mutating func checksum(from: Int64, count: Int) throws(LogError) -> UInt32 {
        var crc: UInt32 = 0
        var done = 0
        while done < count {
            let piece = min(count - done, chunkBytes)
            let (bytes, range) = try withWindow(at: from + Int64(done), count: piece)
            crc = bytes.withUnsafeBytes { CRC32C.update(crc, UnsafeRawBufferPointer(rebasing: $0[range])) }
            done += piece
        }
        return crc
    }
}
