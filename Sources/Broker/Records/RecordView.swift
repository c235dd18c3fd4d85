import Wire

/// One record of a batch as positions inside the bytes it was decoded from, so a consumer can read
/// keys and values in place (an executor builds column data straight from a fetched buffer).
/// Every range is absolute in the decoded byte array.
public struct RecordView: Equatable, Hashable, Sendable {
    /// Absolute offset in the partition (baseOffset + offsetDelta).
    public var offset: Int64
    /// Milliseconds since the epoch: CreateTime, or the batch's LogAppendTime.
    public var timestampMs: Int64
    /// Where the key's bytes sit; nil for a null key.
    public var key: Range<Int>?
    /// Where the value's bytes sit; nil for a null value (a tombstone).
    public var value: Range<Int>?
    /// How many headers `headersRange` holds.
    public var headerCount: Int
    /// The encoded headers (varint-prefixed key and value per header), already checked for framing.
    public var headersRange: Range<Int>

    /// A view from its parts.
    public init(
        offset: Int64, timestampMs: Int64, key: Range<Int>?, value: Range<Int>?, headerCount: Int = 0,
        headersRange: Range<Int> = 0..<0
    ) {
        self.offset = offset
        self.timestampMs = timestampMs
        self.key = key
        self.value = value
        self.headerCount = headerCount
        self.headersRange = headersRange
    }

    /// The headers, decoded from `bytes` (the array this view was decoded from).
    public func headers(in bytes: [UInt8]) throws(DecodeError) -> [RecordHeader] {
        guard headerCount > 0 else { return [] }
        var reader = ByteReader(bytes, range: headersRange)
        var headers: [RecordHeader] = []
        headers.reserveCapacity(headerCount)
        for _ in 0..<headerCount {
            let keyAt = reader.readerIndex
            guard let key = try reader.readVarintString() else { throw .invalidLength(-1, at: keyAt) }
            headers.append(RecordHeader(key, try reader.readVarintBytes()))
        }
        return headers
    }

    /// The record with its key, value and headers copied out of `bytes`.
    public func materialize(from bytes: [UInt8]) throws(DecodeError) -> Record {
        Record(
            offset: offset, timestampMs: timestampMs, key: key.map { Array(bytes[$0]) },
            value: value.map { Array(bytes[$0]) }, headers: try headers(in: bytes))
    }
}

extension ByteReader {
    /// Reads a zig-zag-varint length and returns where that many bytes sit, skipping them; -1 is nil.
    mutating func readVarintRange() throws(DecodeError) -> Range<Int>? {
        let at = readerIndex
        let length = Int(try readVarint32())
        if length == -1 { return nil }
        guard length >= 0 else { throw .invalidLength(length, at: at) }
        return try readRange(count: length)
    }
}
