/// Records of one source partition as the map stage receives them: values are byte ranges in a
/// shared buffer (typically the fetched Kafka response itself, so no value is copied), with the
/// offset and producer timestamp of each. The host (Executor) builds it from record batches.
public struct SourceRecords: Sendable {
    /// The source partition.
    public var partition: Int32
    /// The bytes the value ranges point into.
    public var buffer: [UInt8]
    /// Where each record's value starts in `buffer`.
    public var valueStarts: [Int]
    /// Each value's length in bytes; -1 for a null value (a tombstone), which is malformed input.
    public var valueLengths: [Int32]
    /// Each record's offset in its partition.
    public var offsets: [Int64]
    /// Each record's producer timestamp (ms).
    public var timestampsMs: [Int64]

    /// Records over `buffer`; the four arrays must have equal length.
    public init(
        partition: Int32, buffer: [UInt8], valueStarts: [Int], valueLengths: [Int32], offsets: [Int64],
        timestampsMs: [Int64]
    ) {
        precondition(
            valueStarts.count == valueLengths.count && valueStarts.count == offsets.count
                && offsets.count == timestampsMs.count, "source record arrays differ in length")
        self.partition = partition
        self.buffer = buffer
        self.valueStarts = valueStarts
        self.valueLengths = valueLengths
        self.offsets = offsets
        self.timestampsMs = timestampsMs
    }

    /// Records whose values are `values` (copied into one buffer), at offsets from `firstOffset`;
    /// for tests and small inputs.
    public init(partition: Int32, firstOffset: Int64, values: [[UInt8]?], timestampMs: Int64 = 0) {
        var buffer: [UInt8] = []
        var starts: [Int] = []
        var lengths: [Int32] = []
        for value in values {
            starts.append(buffer.count)
            if let value {
                buffer.append(contentsOf: value)
                lengths.append(Int32(value.count))
            } else {
                lengths.append(-1)
            }
        }
        let offsets = (0..<Int64(values.count)).map { firstOffset + $0 }
        self.init(
            partition: partition, buffer: buffer, valueStarts: starts, valueLengths: lengths, offsets: offsets,
            timestampsMs: [Int64](repeating: timestampMs, count: values.count))
    }

    /// Number of records.
    public var count: Int { offsets.count }

    /// Record `index`'s value bytes (copied; for dead letters and tests), nil for a null value.
    public func value(at index: Int) -> [UInt8]? {
        let length = Int(valueLengths[index])
        guard length >= 0 else { return nil }
        let start = valueStarts[index]
        return Array(buffer[start..<start + length])
    }
}
