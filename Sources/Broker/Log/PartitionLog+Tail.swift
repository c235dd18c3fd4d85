extension PartitionLog {
    /// Calls `body` with the header of every batch in about the last `lastBytes` bytes of the log
    /// (whole batches, from an indexed batch start at or before that point), oldest first.
    ///
    /// The broker rebuilds idempotent-producer state from these headers after a restart.
    public func forEachTailBatchHeader(lastBytes: Int64, _ body: (RecordBatchHeader) -> Void) throws(LogError) {
        let cursors = try state.withLock { state throws(LogError) -> [SegmentCursor] in
            guard !state.isClosed else { throw LogError.closed(directory: directory) }
            var cursors: [SegmentCursor] = []
            var remaining = max(0, lastBytes)
            for segment in state.segments.reversed() {
                let start =
                    segment.sizeBytes <= remaining
                    ? 0 : segment.scanStart(atOrBeforePosition: segment.sizeBytes - remaining)
                cursors.append(SegmentCursor(file: segment.file, startPosition: start, endPosition: segment.sizeBytes))
                remaining -= segment.sizeBytes - start
                if remaining <= 0 { break }
            }
            return cursors.reversed()
        }
        for cursor in cursors {
            var scanner = SegmentScanner(
                file: cursor.file, from: cursor.startPosition, to: cursor.endPosition, expectedOffset: nil,
                chunkBytes: LogSegment.recoveryChunkBytes)
            while case .batch(let header, _) = try Self.nextBatch(&scanner) { body(header) }
        }
    }
}

extension LogSegment {
    /// Byte position of the last indexed batch starting at or before `position` (0 when none).
    func scanStart(atOrBeforePosition position: Int64) -> Int64 {
        var low = 0
        var high = index.offsets.count
        while low < high {
            let middle = (low + high) / 2
            if Int64(index.offsets[middle].position) <= position { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? 0 : Int64(index.offsets[low - 1].position)
    }
}
