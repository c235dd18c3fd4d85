import Broker
import Query

/// One fetch's records at or after its fetch offset, walked once: where each value lies in the
/// fetch's bytes, with its offset and timestamp. A read-ahead walks its fetch on its own thread,
/// so the task that takes it starts decoding at once.
struct WalkedFetch: Sendable {
    let fetched: FetchedPartition
    private(set) var valueStarts: [Int] = []
    /// -1 for a null value.
    private(set) var valueLengths: [Int32] = []
    private(set) var offsets: [Int64] = []
    private(set) var timestampsMs: [Int64] = []

    /// Walks the records of `fetched` below `endOffset`.
    init(_ fetched: FetchedPartition, below endOffset: Int64) throws(TaskFailure) {
        self.fetched = fetched
        // Counts from the batch headers bound the arrays; a lying header only costs a reservation,
        // capped so that hostile input cannot reserve unbounded memory.
        let announced = fetched.batches.reduce(0) { $0 + Int(max(0, $1.header.recordCount)) }
        let reserve = min(announced, fetched.records.count / 8 + 1)
        var (starts, lengths, offsets, timestamps) = ([Int](), [Int32](), [Int64](), [Int64]())
        starts.reserveCapacity(reserve)
        lengths.reserveCapacity(reserve)
        offsets.reserveCapacity(reserve)
        timestamps.reserveCapacity(reserve)
        let nullStart = fetched.records.range.lowerBound
        do throws(KafkaClientError) {
            try fetched.forEachRecord { view in
                guard view.offset < endOffset else { return false }
                if let value = view.value {
                    starts.append(value.lowerBound)
                    lengths.append(Int32(value.count))
                } else {
                    // Inside the records, so it stays in bounds when the bytes are concatenated.
                    starts.append(nullStart)
                    lengths.append(-1)
                }
                offsets.append(view.offset)
                timestamps.append(view.timestampMs)
                return true
            }
        } catch {
            throw TaskFailure("reading records of \(fetched.topic)/\(fetched.partition): \(error)")
        }
        (valueStarts, valueLengths, self.offsets, timestampsMs) = (starts, lengths, offsets, timestamps)
    }

    /// Number of records walked.
    var count: Int { offsets.count }

    /// Forgets the records at or past `endOffset` (offsets ascend, so they are a suffix).
    mutating func keep(below endOffset: Int64) {
        var kept = offsets.count
        while kept > 0, offsets[kept - 1] >= endOffset { kept -= 1 }
        let dropped = offsets.count - kept
        guard dropped > 0 else { return }
        valueStarts.removeLast(dropped)
        valueLengths.removeLast(dropped)
        offsets.removeLast(dropped)
        timestampsMs.removeLast(dropped)
    }

    /// Bytes from the first fetched batch to the end of the last record walked.
    var spanBytes: Int {
        guard let first = fetched.batches.first, let start = valueStarts.last, let length = valueLengths.last else {
            return 0
        }
        return max(0, start + Int(max(0, length)) - first.range.lowerBound)
    }
}

/// The records gathered from one or more fetches, before they become `SourceRecords`.
struct CollectedRecords {
    private var parts: [WalkedFetch] = []

    /// True before the first fetch is added.
    var isEmpty: Bool { parts.isEmpty }
    /// Bytes from each fetch's first batch to the last record of the range it gave.
    private(set) var neededBytes = 0

    mutating func add(_ walked: WalkedFetch) {
        neededBytes += walked.spanBytes
        parts.append(walked)
    }

    /// The records over one buffer: a single fetch's own arrays and its response frame as they are,
    /// or the record bytes of all of them concatenated once.
    func records(partition: Int32) -> SourceRecords {
        if parts.count == 1, let only = parts.first {
            return SourceRecords(
                partition: partition, buffer: only.fetched.buffer, valueStarts: only.valueStarts,
                valueLengths: only.valueLengths, offsets: only.offsets, timestampsMs: only.timestampsMs)
        }
        let count = parts.reduce(0) { $0 + $1.count }
        var buffer: [UInt8] = []
        var valueStarts: [Int] = []
        var valueLengths: [Int32] = []
        var offsets: [Int64] = []
        var timestampsMs: [Int64] = []
        buffer.reserveCapacity(parts.reduce(0) { $0 + $1.fetched.records.count })
        valueStarts.reserveCapacity(count)
        valueLengths.reserveCapacity(count)
        offsets.reserveCapacity(count)
        timestampsMs.reserveCapacity(count)
        for part in parts {
            // Value starts are positions in the part's frame; its records land at `buffer.count`.
            let shift = buffer.count - part.fetched.records.range.lowerBound
            valueStarts.append(contentsOf: part.valueStarts.lazy.map { $0 + shift })
            valueLengths.append(contentsOf: part.valueLengths)
            offsets.append(contentsOf: part.offsets)
            timestampsMs.append(contentsOf: part.timestampsMs)
            buffer.append(contentsOf: part.fetched.records.bytes)
        }
        return SourceRecords(
            partition: partition, buffer: buffer, valueStarts: valueStarts, valueLengths: valueLengths,
            offsets: offsets, timestampsMs: timestampsMs)
    }
}
