/// How a Fetch waits and how much it may return; defaults follow Kafka's consumer.
public struct FetchOptions: Equatable, Sendable {
    /// How long the broker may hold the request waiting for `minBytes` (long poll).
    public var maxWaitMs: Int32
    /// The broker answers as soon as this many bytes are available.
    public var minBytes: Int32
    /// Bytes for the whole response (at least one batch always comes back, KIP-74).
    public var maxBytes: Int32
    /// Bytes per partition.
    public var partitionMaxBytes: Int32
    /// 0 = read_uncommitted, 1 = read_committed.
    public var isolationLevel: Int8
    /// Check each fetched batch's CRC-32C (librdkafka does not by default; kafka-python does).
    public var verifyCRC: Bool

    /// Options; every argument defaults to the Kafka consumer's default.
    public init(
        maxWaitMs: Int32 = 500, minBytes: Int32 = 1, maxBytes: Int32 = 50 << 20, partitionMaxBytes: Int32 = 1 << 20,
        isolationLevel: Int8 = 0, verifyCRC: Bool = false
    ) {
        self.maxWaitMs = maxWaitMs
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.partitionMaxBytes = partitionMaxBytes
        self.isolationLevel = isolationLevel
        self.verifyCRC = verifyCRC
    }
}
