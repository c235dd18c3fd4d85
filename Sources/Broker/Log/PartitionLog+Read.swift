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
        let found = try readRegion(from: offset, maxBytes: maxBytes)
        return LogReadResult(
            records: try found.region?.bytes() ?? [], highWatermark: found.highWatermark,
            logStartOffset: found.logStartOffset)
    }

    /// The batches `read(from:maxBytes:)` returns, located but not read: the segment region they
    /// fill, for a fetch to send with sendfile, and how many records they hold.
    func readRegion(from offset: Int64, maxBytes: Int) throws(LogError) -> LogRegionRead {
        let (plan, highWatermark, logStartOffset) = try state.withLock {
            state throws(LogError) -> (RegionPlan?, Int64, Int64) in
            guard !state.isClosed else { throw LogError.closed(directory: directory) }
            guard offset >= state.logStartOffset, offset <= state.logEndOffset else {
                throw LogError.offsetOutOfRange(
                    offset: offset, logStartOffset: state.logStartOffset, logEndOffset: state.logEndOffset)
            }
            guard offset < state.logEndOffset else { return (nil, state.logEndOffset, state.logStartOffset) }
            let segment = state.segments[state.segmentIndex(for: offset)]
            return (RegionPlan(segment, offset: offset, maxBytes: maxBytes), state.logEndOffset, state.logStartOffset)
        }
        var found = LogRegionRead(
            region: nil, recordCount: 0, highWatermark: highWatermark, logStartOffset: logStartOffset)
        if let plan { (found.region, found.recordCount) = try Self.locateBatches(plan, containing: offset) }
        return found
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

    /// Finds the batch containing `offset` by walking headers from the cursor, then the following
    /// whole batches that fit in the plan's `maxBytes`; returns their region and record count.
    static func locateBatches(_ plan: RegionPlan, containing offset: Int64) throws(LogError)
        -> (SegmentRegion?, recordCount: Int64)
    {
        let cursor = plan.cursor
        var scanner = SegmentScanner(
            file: cursor.file, from: cursor.startPosition, to: cursor.endPosition, expectedOffset: nil,
            chunkBytes: LogSegment.headerChunkBytes)
        var found: (header: RecordBatchHeader, position: Int64)?
        while case .batch(let header, let position) = try nextBatch(&scanner) {
            if header.nextOffset > offset {
                found = (header, position)
                break
            }
        }
        guard let (first, start) = found else { return (nil, 0) }
        // The first batch always goes (KIP-74); the ones after it only whole and within maxBytes.
        let limit = min(cursor.endPosition, start + max(plan.maxBytes, Int64(first.totalBytes)))
        let firstEnd = start + Int64(first.totalBytes)
        var tail: (end: Int64, nextOffset: Int64)?
        if let jump = plan.jump, jump.position > firstEnd, jump.position <= limit {
            // An indexed batch start within the limit: every batch before it fits, so skip their headers.
            tail = try wholeBatches(cursor, from: jump.position, offset: jump.offset, limit: limit)
        }
        if tail == nil { tail = try wholeBatches(cursor, from: firstEnd, offset: first.nextOffset, limit: limit) }
        let (end, nextOffset) = tail ?? (firstEnd, first.nextOffset)
        // Offsets in a segment are consecutive and every appended batch's record count is its offset
        // span (append checks it), so the span is the record count without a header per batch.
        let region = SegmentRegion(file: cursor.file, position: start, count: Int(end - start))
        return (region, nextOffset - first.baseOffset)
    }

    /// Walks the batches from `position`, which must start at `offset`, while they end within
    /// `limit`; returns where the last one ends and the offset after it. Nil when no valid batch with
    /// that offset starts at `position` (an index that disagrees with the log); a later invalid
    /// batch only ends the walk, as it is another fetch's to report.
    private static func wholeBatches(_ cursor: SegmentCursor, from position: Int64, offset: Int64, limit: Int64)
        throws(LogError) -> (end: Int64, nextOffset: Int64)?
    {
        var scanner = SegmentScanner(
            file: cursor.file, from: position, to: cursor.endPosition, expectedOffset: offset,
            chunkBytes: LogSegment.headerChunkBytes)
        var walked = (end: position, nextOffset: offset)
        while true {
            switch try scanner.next(verifyCRC: false) {
            case .batch(let header, let at):
                guard at + Int64(header.totalBytes) <= limit else { return walked }
                walked = (at + Int64(header.totalBytes), header.nextOffset)
            case .end:
                return walked
            case .invalid:
                return walked.end == position ? nil : walked
            }
        }
    }
}

/// Where a fetch's read goes, snapshotted under the lock: the segment cursor, the byte budget, and
/// the last indexed batch start within reach of it, so the header walk can jump most of the way.
struct RegionPlan: Sendable {
    let cursor: SegmentCursor
    /// The read's maxBytes, capped at the segment's size (so adding it to a position cannot overflow).
    let maxBytes: Int64
    /// An indexed batch start at or before `cursor.startPosition + maxBytes`, and its offset.
    let jump: (position: Int64, offset: Int64)?

    /// The plan for reading `segment` from `offset`; only under the log's lock.
    init(_ segment: LogSegment, offset: Int64, maxBytes: Int) {
        let start = segment.scanStart(for: offset)
        cursor = SegmentCursor(file: segment.file, startPosition: start, endPosition: segment.sizeBytes)
        self.maxBytes = min(Int64(max(0, maxBytes)), segment.sizeBytes)
        jump = segment.index.entry(atOrBeforePosition: start + self.maxBytes).map {
            (Int64($0.position), segment.baseOffset + Int64($0.relativeOffset))
        }
    }
}
