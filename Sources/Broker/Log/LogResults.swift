/// Offsets assigned by one `append`.
public struct LogAppendResult: Equatable, Sendable {
    /// Offset of the first appended record (the Produce response's base_offset).
    public var baseOffset: Int64
    /// Offset of the last appended record; the log end offset is now `lastOffset + 1`.
    public var lastOffset: Int64
    /// The log start offset when the append happened (Produce v5+ log_start_offset).
    public var logStartOffset: Int64
}

/// Whole record batches returned by `read`, with the offsets a Fetch response reports.
public struct LogReadResult: Equatable, Sendable {
    /// Batches verbatim; the first one contains the requested offset; empty at the log end.
    public var records: [UInt8]
    /// Log end offset at the time of the read (the high watermark on a single node).
    public var highWatermark: Int64
    /// Log start offset at the time of the read.
    public var logStartOffset: Int64
}

/// Answer to a ListOffsets query.
public struct LogOffsetLookup: Equatable, Sendable {
    /// The offset found.
    public var offset: Int64
    /// The found batch's max timestamp, or -1 for the earliest/latest queries.
    public var timestampMs: Int64
}

/// What `enforceRetention` removed.
public struct LogRetentionResult: Equatable, Sendable {
    /// Base offsets of the segments removed, oldest first.
    public var removedSegments: [Int64]
    /// The log start offset afterwards.
    public var logStartOffset: Int64
}

/// What opening the log found and repaired.
public struct LogRecoveryReport: Equatable, Sendable {
    /// Bytes cut from segment tails because a batch there was torn, garbage or failed its CRC.
    public var truncatedBytes: Int64
    /// Why the first cut happened, when one did.
    public var truncationReason: String?
    /// Sealed segments whose index files were missing or invalid and were rebuilt from the log.
    public var rebuiltIndexes: Int
    /// Segments found (or created, for an empty directory).
    public var segmentCount: Int
}
