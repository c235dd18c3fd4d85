import Wire

/// One segment of a partition log: the `<base>.log` file of batches stored verbatim, plus its
/// indexes. Not thread-safe; the owning `PartitionLog` reaches it only under its lock.
final class LogSegment {
    /// Offset of the segment's first batch, and the number in its file names.
    let baseOffset: Int64
    let directory: String
    let file: SegmentFile
    /// Bytes of whole valid batches in the file.
    private(set) var sizeBytes: Int64
    /// Offset after the segment's last batch (`baseOffset` when empty).
    private(set) var nextOffset: Int64
    private(set) var index: SegmentIndex

    /// Read chunk of recovery and index rebuild scans.
    static let recoveryChunkBytes = 1 << 20
    /// Read chunk of header-only scans, which usually touch one or two batches.
    static let headerChunkBytes = 8192

    private init(baseOffset: Int64, directory: String, file: SegmentFile, sizeBytes: Int64, index: SegmentIndex) {
        self.baseOffset = baseOffset
        self.directory = directory
        self.file = file
        self.sizeBytes = sizeBytes
        self.nextOffset = baseOffset
        self.index = index
    }

    /// Newest timestamp of the segment, -1 when empty.
    var maxTimestampMs: Int64 { index.maxTimestampMs }

    /// Path of the segment's file with `suffix`.
    func path(_ suffix: String) -> String { SegmentName.path(directory, baseOffset, suffix) }

    /// A new, empty segment starting at `baseOffset`.
    static func create(directory: String, baseOffset: Int64) throws(LogError) -> LogSegment {
        let file = try SegmentFile(path: SegmentName.path(directory, baseOffset, SegmentName.logSuffix))
        try file.truncate(to: 0)
        return LogSegment(baseOffset: baseOffset, directory: directory, file: file, sizeBytes: 0, index: SegmentIndex())
    }

    /// True when `bytes` holding `offsetCount` offsets must go to a fresh segment instead of this one.
    func needsRoll(addingBytes bytes: Int, offsetCount: Int64, segmentBytes: Int) -> Bool {
        guard sizeBytes > 0 else { return false }
        let lastRelativeOffset = nextOffset + offsetCount - 1 - baseOffset
        return sizeBytes + Int64(bytes) > Int64(segmentBytes) || lastRelativeOffset > Int64(UInt32.max)
    }

    /// Writes `bytes` (whose batches already carry their final offsets, starting at `nextOffset`) at
    /// the end of the file with one pwrite, then indexes them.
    func append(_ bytes: [UInt8], batches: [RecordBatchRange], intervalBytes: Int) throws(LogError) {
        let position = sizeBytes
        do throws(LogError) {
            try file.write(bytes, at: position)
        } catch {
            // Leave no partial batch behind for the next append to follow.
            try? file.truncate(to: position)
            throw error
        }
        var offset = nextOffset
        for batch in batches {
            index.record(
                relativeOffset: UInt32(offset - baseOffset), position: UInt32(position + Int64(batch.range.lowerBound)),
                batchBytes: batch.header.totalBytes, maxTimestampMs: batch.header.maxTimestamp,
                intervalBytes: intervalBytes)
            offset += Int64(batch.header.lastOffsetDelta) + 1
        }
        sizeBytes = position + Int64(bytes.count)
        nextOffset = offset
    }

    /// Byte position to start scanning from for `offset` (the last indexed batch at or before it).
    func scanStart(for offset: Int64) -> Int64 {
        offset <= baseOffset ? 0 : index.position(atOrBefore: offset - baseOffset)
    }

    /// Makes the segment durable and writes its index files, before it stops being the active one.
    func seal() throws(LogError) {
        try file.sync()
        index.seal()
        try writeIndexFiles()
    }

    func writeIndexFiles() throws(LogError) {
        do throws(PosixError) {
            try Posix.writeFileAtomically(path(SegmentName.indexSuffix), index.encodedOffsets())
            try Posix.writeFileAtomically(path(SegmentName.timeIndexSuffix), index.encodedTimes())
        } catch {
            throw .io(error)
        }
    }

    /// Deletes the segment's files; the log file goes first so a crash never leaves a log without
    /// the offsets before it. Open readers keep reading the unlinked file.
    func removeFiles() throws(LogError) {
        do { try Posix.unlink(path(SegmentName.logSuffix)) } catch { throw .io(error) }
        try? Posix.unlink(path(SegmentName.indexSuffix))
        try? Posix.unlink(path(SegmentName.timeIndexSuffix))
    }
}

// MARK: opening and recovery

extension LogSegment {
    /// What opening one segment repaired.
    struct Repair {
        var truncatedBytes: Int64 = 0
        var reason: String?
        var rebuiltIndex = false
    }

    /// Opens the active segment: scans every batch with its CRC, cuts the file at the first torn or
    /// invalid byte and rebuilds the indexes in memory.
    static func recover(directory: String, baseOffset: Int64, intervalBytes: Int) throws(LogError)
        -> (LogSegment, Repair)
    {
        let file = try SegmentFile(path: SegmentName.path(directory, baseOffset, SegmentName.logSuffix))
        let segment = LogSegment(baseOffset: baseOffset, directory: directory, file: file, sizeBytes: 0, index: .init())
        let fileBytes = try file.size()
        var scanner = SegmentScanner(
            file: file, from: 0, to: fileBytes, expectedOffset: baseOffset, chunkBytes: recoveryChunkBytes)
        var repair = Repair()
        scan: while true {
            switch try scanner.next(verifyCRC: true) {
            case .end:
                break scan
            case .invalid(let position, let reason):
                repair = Repair(truncatedBytes: fileBytes - position, reason: reason)
                break scan
            case .batch(let header, let position):
                // Index entries hold 32-bit relative offsets and positions; this log never writes past them.
                guard header.lastOffset - baseOffset <= Int64(UInt32.max), position <= Int64(UInt32.max) else {
                    repair = Repair(truncatedBytes: fileBytes - position, reason: "batch beyond the segment's range")
                    break scan
                }
                segment.index.record(
                    relativeOffset: UInt32(header.baseOffset - baseOffset), position: UInt32(position),
                    batchBytes: header.totalBytes, maxTimestampMs: header.maxTimestamp, intervalBytes: intervalBytes)
                segment.sizeBytes = position + Int64(header.totalBytes)
                segment.nextOffset = header.nextOffset
            }
        }
        if repair.truncatedBytes > 0 { try file.truncate(to: segment.sizeBytes) }
        // After a process crash the tail may sit only in the page cache; make "recovered" mean durable.
        try file.sync()
        return (segment, repair)
    }

    /// Opens a sealed segment, trusting its index files when they agree with the end of the log and
    /// otherwise recovering it like the active one and rewriting them.
    static func openSealed(directory: String, baseOffset: Int64, intervalBytes: Int) throws(LogError)
        -> (LogSegment, Repair)
    {
        if let segment = try loadIndexed(directory: directory, baseOffset: baseOffset) {
            return (segment, Repair())
        }
        var (segment, repair) = try recover(directory: directory, baseOffset: baseOffset, intervalBytes: intervalBytes)
        segment.index.seal()
        try segment.writeIndexFiles()
        repair.rebuiltIndex = true
        return (segment, repair)
    }

    /// The segment with its index files, or nil if they are missing or disagree with the log's tail.
    private static func loadIndexed(directory: String, baseOffset: Int64) throws(LogError) -> LogSegment? {
        let indexPath = SegmentName.path(directory, baseOffset, SegmentName.indexSuffix)
        let timePath = SegmentName.path(directory, baseOffset, SegmentName.timeIndexSuffix)
        guard Posix.exists(indexPath), Posix.exists(timePath) else { return nil }
        let file = try SegmentFile(path: SegmentName.path(directory, baseOffset, SegmentName.logSuffix))
        let fileBytes = try file.size()
        let offsetBytes: [UInt8]
        let timeBytes: [UInt8]
        do {
            offsetBytes = try Posix.readFile(indexPath)
            timeBytes = try Posix.readFile(timePath)
        } catch {
            throw .io(error)
        }
        guard var index = SegmentIndex.decode(offsets: offsetBytes, times: timeBytes, logBytes: fileBytes) else {
            return nil
        }
        let last = index.offsets.last
        var scanner = SegmentScanner(
            file: file, from: Int64(last?.position ?? 0), to: fileBytes,
            expectedOffset: baseOffset + Int64(last?.relativeOffset ?? 0), chunkBytes: headerChunkBytes)
        var tailMaxMs = Int64.min
        var lastHeader: RecordBatchHeader?
        scan: while true {
            switch try scanner.next(verifyCRC: false) {
            case .end: break scan
            case .invalid: return nil
            case .batch(let header, _):
                tailMaxMs = max(tailMaxMs, header.maxTimestamp)
                lastHeader = header
            }
        }
        guard let lastHeader, lastHeader.lastOffset - baseOffset <= Int64(UInt32.max),
            index.adoptTail(
                lastRelativeOffset: UInt32(lastHeader.baseOffset - baseOffset), tailMaxTimestampMs: tailMaxMs)
        else { return nil }
        let segment = LogSegment(
            baseOffset: baseOffset, directory: directory, file: file, sizeBytes: fileBytes, index: index)
        segment.nextOffset = lastHeader.nextOffset
        return segment
    }
}
