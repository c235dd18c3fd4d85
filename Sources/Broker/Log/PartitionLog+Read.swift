/// Where a read or lookup goes, snapshotted under the lock so the pread happens outside it.
struct SegmentCursor: Sendable {
    let file: SegmentFile
    /// Scan from here (an indexed batch start at or before the wanted one).
    let startPosition: Int64
    /// Bytes of whole batches in the segment at snapshot time; nothing past it is read.
    let endPosition: Int64
}

extension PartitionLog {
    /// Whole batches from the one containing `offset` on, up to `maxBytes` but always at least one
    /// batch (KIP-74); empty at the log end. Never crosses into the next segment: the caller fetches again.
    public func read(from offset: Int64, maxBytes: Int) throws(LogError) -> LogReadResult {
        let (cursor, highWatermark, logStartOffset) = try state.withLock {
            state throws(LogError) -> (SegmentCursor?, Int64, Int64) in
            guard !state.isClosed else { throw LogError.closed(directory: directory) }
            guard offset >= state.logStartOffset, offset <= state.logEndOffset else {
                throw LogError.offsetOutOfRange(
                    offset: offset, logStartOffset: state.logStartOffset, logEndOffset: state.logEndOffset)
            }
            guard offset < state.logEndOffset else { return (nil, state.logEndOffset, state.logStartOffset) }
            let segment = state.segments[state.segmentIndex(for: offset)]
            let cursor = SegmentCursor(
                file: segment.file, startPosition: segment.scanStart(for: offset), endPosition: segment.sizeBytes)
            return (cursor, state.logEndOffset, state.logStartOffset)
        }
        guard let cursor else {
            return LogReadResult(records: [], highWatermark: highWatermark, logStartOffset: logStartOffset)
        }
        let records = try Self.readBatches(cursor, containing: offset, maxBytes: maxBytes)
        return LogReadResult(records: records, highWatermark: highWatermark, logStartOffset: logStartOffset)
    }

    /// ListOffsets: `earliestTimestamp` gives the log start, `latestTimestamp` the log end, and a
    /// timestamp ≥ 0 the first batch whose max timestamp is at least it (batch granularity), or nil
    /// when none is (Kafka answers offset -1, timestamp -1). Other negative timestamps give nil.
    public func offset(forTimestamp timestampMs: Int64) throws(LogError) -> LogOffsetLookup? {
        let plan = try state.withLock { state throws(LogError) -> TimestampPlan in
            guard !state.isClosed else { throw LogError.closed(directory: directory) }
            switch timestampMs {
            case Self.earliestTimestamp: return .answer(LogOffsetLookup(offset: state.logStartOffset, timestampMs: -1))
            case Self.latestTimestamp: return .answer(LogOffsetLookup(offset: state.logEndOffset, timestampMs: -1))
            default: return .scan(Self.timestampCursors(state, timestampMs: timestampMs))
            }
        }
        let cursors: [SegmentCursor]
        switch plan {
        case .answer(let lookup): return lookup
        case .scan(let found): cursors = found
        }
        for cursor in cursors {
            var scanner = SegmentScanner(
                file: cursor.file, from: cursor.startPosition, to: cursor.endPosition, expectedOffset: nil,
                chunkBytes: LogSegment.headerChunkBytes)
            while case .batch(let header, _) = try Self.nextBatch(&scanner) {
                if header.maxTimestamp >= timestampMs {
                    return LogOffsetLookup(offset: header.baseOffset, timestampMs: header.maxTimestamp)
                }
            }
        }
        return nil
    }

    private enum TimestampPlan: Sendable {
        case answer(LogOffsetLookup)
        case scan([SegmentCursor])
    }

    /// Cursors from the first segment whose newest timestamp reaches `timestampMs` onwards; none for
    /// negative timestamps other than the two special ones.
    private static func timestampCursors(_ state: LogState, timestampMs: Int64) -> [SegmentCursor] {
        guard timestampMs >= 0, let first = state.segments.firstIndex(where: { $0.maxTimestampMs >= timestampMs })
        else { return [] }
        return state.segments[first...].enumerated().map { number, segment in
            var start: Int64 = 0
            if number == 0, let relative = segment.index.relativeOffset(before: timestampMs) {
                start = segment.index.position(atOrBefore: Int64(relative))
            }
            return SegmentCursor(file: segment.file, startPosition: start, endPosition: segment.sizeBytes)
        }
    }

    /// The scanner's next step, with corruption of an already-recovered segment turned into an error.
    static func nextBatch(_ scanner: inout SegmentScanner) throws(LogError) -> SegmentScanner.Step {
        let step = try scanner.next(verifyCRC: false)
        if case .invalid(let position, let reason) = step {
            throw .corruptSegment(path: scanner.file.path, position: position, reason: reason)
        }
        return step
    }

    /// Finds the batch containing `offset` by walking headers from the cursor, then preads it and the
    /// following whole batches that fit in `maxBytes` in one read.
    static func readBatches(_ cursor: SegmentCursor, containing offset: Int64, maxBytes: Int) throws(LogError)
        -> [UInt8]
    {
        var scanner = SegmentScanner(
            file: cursor.file, from: cursor.startPosition, to: cursor.endPosition, expectedOffset: nil,
            chunkBytes: LogSegment.headerChunkBytes)
        while case .batch(let header, let position) = try nextBatch(&scanner) {
            guard header.nextOffset > offset else { continue }
            let count = Int(min(cursor.endPosition - position, Int64(max(maxBytes, header.totalBytes))))
            var bytes = try cursor.file.read(at: position, count: count)
            guard bytes.count == count else {
                throw .corruptSegment(path: cursor.file.path, position: position, reason: "file shrank under a read")
            }
            var kept = header.totalBytes
            while kept + RecordBatchHeader.size <= bytes.count {
                guard let next = try? RecordBatchHeader.parse(bytes, at: kept),
                    kept + next.totalBytes <= bytes.count
                else { break }
                kept += next.totalBytes
            }
            bytes.removeSubrange(kept...)
            return bytes
        }
        return []
    }
}
