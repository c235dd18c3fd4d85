/// One record header: a UTF-8 key and optional bytes.
public struct RecordHeader: Equatable, Hashable, Sendable {
    public var key: String
    public var value: [UInt8]?

    /// A header `key` = `value`.
    public init(_ key: String, _ value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// One decoded record of a batch, with its absolute offset and timestamp.
public struct Record: Equatable, Hashable, Sendable {
    /// Absolute offset in the partition (baseOffset + offsetDelta).
    public var offset: Int64
    /// Milliseconds since the epoch: CreateTime, or the batch's LogAppendTime.
    public var timestampMs: Int64
    /// nil is a null key.
    public var key: [UInt8]?
    /// nil is a null value (a tombstone).
    public var value: [UInt8]?
    public var headers: [RecordHeader]

    /// A record.
    public init(offset: Int64, timestampMs: Int64, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []) {
        self.offset = offset
        self.timestampMs = timestampMs
        self.key = key
        self.value = value
        self.headers = headers
    }
}
