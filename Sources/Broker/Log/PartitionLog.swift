import Synchronization
import Wire

/// One partition's durable log, Kafka style: a directory of segments holding record batches exactly
/// as producers sent them (only baseOffset rewritten), with sparse offset and time indexes.
///
/// Thread-safe: a `Mutex` guards all state, so connection threads call it directly. The lock covers
/// offset assignment and one pwrite per append; reads and fsyncs take it only to snapshot where to
/// go, then pread or fsync outside it on a reference-counted descriptor that retention cannot
/// close under them. No timers or threads inside: the caller drives `flushIfDue` and
/// `enforceRetention` with its own clock.
public final class PartitionLog: Sendable {
    /// ListOffsets timestamp meaning "the log start offset".
    public static let earliestTimestamp: Int64 = -2
    /// ListOffsets timestamp meaning "the log end offset".
    public static let latestTimestamp: Int64 = -1

    /// The partition's directory.
    public let directory: String
    /// Sizes, limits and durability.
    public let config: LogConfig
    /// What opening found and repaired.
    public let recovery: LogRecoveryReport
    let state: Mutex<LogState>

    /// Opens (creating if needed) the log in `directory`, recovering the active segment's tail.
    public init(directory: String, config: LogConfig = LogConfig()) throws(LogError) {
        let (segments, report) = try LogOpener.open(directory: directory, config: config)
        self.directory = directory
        self.config = config
        self.recovery = report
        self.state = Mutex(LogState(segments: segments))
    }

    /// The conventional directory name of a partition, `<topic>-<partition>`.
    public static func directoryName(topic: String, partition: Int32) -> String { "\(topic)-\(partition)" }

    /// First offset still stored.
    public var logStartOffset: Int64 { state.withLock { $0.logStartOffset } }
    /// Offset the next appended record gets.
    public var logEndOffset: Int64 { state.withLock { $0.logEndOffset } }
    /// On a single node every appended record is committed, so this is the log end offset.
    public var highWatermark: Int64 { logEndOffset }
    /// Every offset below this is on stable storage.
    public var flushedOffset: Int64 { state.withLock { $0.flushedOffset } }
    /// Bytes of all segments.
    public var sizeBytes: Int64 { state.withLock { $0.segments.reduce(0) { $0 + $1.sizeBytes } } }
    /// Base offsets of the segments, oldest first.
    public var segmentBaseOffsets: [Int64] { state.withLock { $0.segments.map(\.baseOffset) } }

    /// Appends one Produce partition's `records` (one or more batches, checked for framing, magic 2,
    /// CRC and record count), assigning consecutive offsets from the log end offset.
    public func append(_ records: [UInt8]) throws(LogError) -> LogAppendResult {
        let batches: [RecordBatchRange]
        do {
            batches = try RecordBatchSplitter.split(records, verifyCRC: true, batchBytesMax: config.batchBytesMax)
        } catch {
            throw .invalidBatch(error)
        }
        // Stamp offsets relative to the first record now, outside the lock; this also makes `data`
        // this call's own copy, so the lock only adds the base.
        var data = records
        var relativeOffsets: [Int64] = []
        relativeOffsets.reserveCapacity(batches.count)
        var offsetCount: Int64 = 0
        for batch in batches {
            relativeOffsets.append(offsetCount)
            RecordBatchHeader.setBaseOffset(offsetCount, in: &data, batchStart: batch.range.lowerBound)
            offsetCount += Int64(batch.header.lastOffsetDelta) + 1
        }
        guard data.count <= Int(Int32.max), offsetCount <= Int64(UInt32.max) else {
            throw .invalidBatch(.batchTooLarge(bytes: data.count, limit: Int(Int32.max), at: 0))
        }
        let (result, fileToSync) = try state.withLock { state throws(LogError) -> (LogAppendResult, SegmentFile?) in
            guard !state.isClosed else { throw .closed(directory: directory) }
            if state.active.needsRoll(
                addingBytes: data.count, offsetCount: offsetCount, segmentBytes: config.segmentBytes)
            {
                try roll(&state)
            }
            let baseOffset = state.logEndOffset
            for (batch, relative) in zip(batches, relativeOffsets) {
                RecordBatchHeader.setBaseOffset(baseOffset + relative, in: &data, batchStart: batch.range.lowerBound)
            }
            try state.active.append(data, batches: batches, intervalBytes: config.indexIntervalBytes)
            let endOffset = baseOffset + offsetCount
            precondition(endOffset > baseOffset && state.active.nextOffset == endOffset, "offsets only grow")
            state.logEndOffset = endOffset
            let result = LogAppendResult(
                baseOffset: baseOffset, lastOffset: endOffset - 1, logStartOffset: state.logStartOffset)
            return (result, config.fsync == .always ? state.active.file : nil)
        }
        if let fileToSync {
            // Outside the lock, so concurrent appenders share fsyncs (one covers every earlier write).
            try fileToSync.sync()
            state.withLock { $0.flushedOffset = max($0.flushedOffset, result.lastOffset + 1) }
        }
        return result
    }

    /// Seals the active segment and starts a new one at the log end offset.
    private func roll(_ state: inout LogState) throws(LogError) {
        try state.active.seal()
        state.flushedOffset = state.logEndOffset
        let segment = try LogSegment.create(directory: directory, baseOffset: state.logEndOffset)
        do { try Posix.fsyncDirectory(directory) } catch { throw .io(error) }
        state.segments.append(segment)
    }

    /// Forces every appended byte to stable storage.
    public func flush() throws(LogError) {
        let (file, target) = try state.withLock { state throws(LogError) in
            guard !state.isClosed else { throw LogError.closed(directory: directory) }
            return (state.active.file, state.logEndOffset)
        }
        // A roll in between already fsynced the sealed segment, so one fsync still covers `target`.
        try file.sync()
        state.withLock { $0.flushedOffset = max($0.flushedOffset, target) }
    }

    /// Under `.interval(ms)`, flushes when there is unflushed data and `ms` passed since the last
    /// flush (the first call with unflushed data always flushes); returns whether it flushed.
    public func flushIfDue(nowMs: Int64) throws(LogError) -> Bool {
        guard case .interval(let intervalMs) = config.fsync else { return false }
        let due = state.withLock { state in
            guard !state.isClosed, state.flushedOffset < state.logEndOffset else { return false }
            guard let last = state.lastFlushMs else { return true }
            return nowMs.subtractingReportingOverflow(last).partialValue >= intervalMs
        }
        guard due else { return false }
        try flush()
        state.withLock { $0.lastFlushMs = nowMs }
        return true
    }

    /// Flushes and closes the log; later calls throw `closed`. Descriptors close once in-flight reads end.
    public func close() throws(LogError) {
        let file = state.withLock { state -> SegmentFile? in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            let file = state.flushedOffset < state.logEndOffset ? state.active.file : nil
            state.segments.removeAll()
            return file
        }
        try file?.sync()
        if file != nil { state.withLock { $0.flushedOffset = $0.logEndOffset } }
    }
}
