/// When appended bytes are forced to stable storage.
public enum FsyncPolicy: Equatable, Sendable {
    /// fsync before `append` returns.
    case always
    /// fsync when the caller's `flushIfDue(nowMs:)` finds `ms` passed since the last flush.
    case interval(ms: Int64)
}

/// Sizes, limits and durability of one partition log.
public struct LogConfig: Equatable, Sendable {
    /// A new segment starts once the active one would grow past this many bytes.
    public var segmentBytes: Int
    /// Bytes of batches between two sparse index entries.
    public var indexIntervalBytes: Int
    /// Whole segments whose newest timestamp is older than this are removed; nil keeps them forever.
    public var retentionMs: Int64?
    /// Oldest whole segments are removed while the log stays at least this large; nil means no limit.
    public var retentionBytes: Int64?
    /// Durability of appends.
    public var fsync: FsyncPolicy
    /// Largest single batch `append` accepts (Kafka's message.max.bytes).
    public var batchBytesMax: Int

    /// A configuration; the defaults follow Kafka's (1 GiB segments, 4 KiB index interval, 7 days).
    public init(
        segmentBytes: Int = 1 << 30, indexIntervalBytes: Int = 4096, retentionMs: Int64? = 7 * 24 * 3_600_000,
        retentionBytes: Int64? = nil, fsync: FsyncPolicy = .interval(ms: 1000), batchBytesMax: Int = 16 << 20
    ) {
        // Index entries hold 32-bit positions, so a segment must stay addressable by them.
        precondition(segmentBytes >= RecordBatchHeader.size && segmentBytes <= Int(Int32.max), "bad segmentBytes")
        precondition(indexIntervalBytes > 0, "indexIntervalBytes must be positive")
        precondition(batchBytesMax >= RecordBatchHeader.size && batchBytesMax <= Int(Int32.max), "bad batchBytesMax")
        self.segmentBytes = segmentBytes
        self.indexIntervalBytes = indexIntervalBytes
        self.retentionMs = retentionMs
        self.retentionBytes = retentionBytes
        self.fsync = fsync
        self.batchBytesMax = batchBytesMax
    }
}
