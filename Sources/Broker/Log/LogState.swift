/// Everything `PartitionLog` guards with its lock.
struct LogState {
    /// Oldest first; the last one is the active segment appends go to. Empty only once closed.
    var segments: [LogSegment]
    var logStartOffset: Int64
    var logEndOffset: Int64
    /// Every offset below this is on stable storage.
    var flushedOffset: Int64
    /// When `flushIfDue` last flushed, nil before the first time.
    var lastFlushMs: Int64?
    var isClosed = false

    init(segments: [LogSegment]) {
        precondition(!segments.isEmpty, "a log has at least its active segment")
        self.segments = segments
        logStartOffset = segments[0].baseOffset
        logEndOffset = segments[segments.count - 1].nextOffset
        // Recovery just read and, where it cut, fsynced everything it kept.
        flushedOffset = logEndOffset
    }

    var active: LogSegment { segments[segments.count - 1] }

    /// Index of the segment holding `offset`, or of the first segment after it when `offset` falls in
    /// a gap a recovery cut left; `offset` must be inside [logStartOffset, logEndOffset).
    func segmentIndex(for offset: Int64) -> Int {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].baseOffset <= offset { low = middle + 1 } else { high = middle }
        }
        var found = max(0, low - 1)
        // The active segment ends at the log end offset, so this stops inside the array.
        while segments[found].nextOffset <= offset { found += 1 }
        return found
    }
}
