extension PartitionLog {
    /// Removes whole old segments (never the active one) that `retentionMs` or `retentionBytes`
    /// condemns, oldest first, and advances the log start offset past them.
    ///
    /// A segment expires when its newest timestamp is more than `retentionMs` before `nowMs`; by size,
    /// the oldest segments go while what remains is still at least `retentionBytes` (Kafka's rules).
    public func enforceRetention(nowMs: Int64) throws(LogError) -> LogRetentionResult {
        try state.withLock { state throws(LogError) in
            guard !state.isClosed else { throw LogError.closed(directory: directory) }
            let count = max(expiredByTime(state, nowMs: nowMs), expiredBySize(state))
            var removed: [Int64] = []
            for _ in 0..<count {
                let segment = state.segments[0]
                try segment.removeFiles()
                state.segments.removeFirst()
                state.logStartOffset = state.segments[0].baseOffset
                removed.append(segment.baseOffset)
            }
            return LogRetentionResult(removedSegments: removed, logStartOffset: state.logStartOffset)
        }
    }

    /// How many oldest sealed segments are past `retentionMs`.
    private func expiredByTime(_ state: LogState, nowMs: Int64) -> Int {
        guard let retentionMs = config.retentionMs else { return 0 }
        let (cutoff, overflow) = nowMs.subtractingReportingOverflow(retentionMs)
        guard !overflow else { return 0 }
        let sealed = state.segments.dropLast()
        return sealed.firstIndex { $0.maxTimestampMs >= cutoff } ?? sealed.count
    }

    /// How many oldest sealed segments can go while at least `retentionBytes` remain.
    private func expiredBySize(_ state: LogState) -> Int {
        guard let retentionBytes = config.retentionBytes else { return 0 }
        var excess = state.segments.reduce(0) { $0 + $1.sizeBytes } - retentionBytes
        var count = 0
        for segment in state.segments.dropLast() {
            guard excess - segment.sizeBytes >= 0 else { break }
            excess -= segment.sizeBytes
            count += 1
        }
        return count
    }
}
