import Broker
import Query
import Wire

/// One map task's slice of a source partition: offsets `[startOffset, endOffset)`.
struct SourceRange: Sendable, CustomStringConvertible {
    let topic: String
    let partition: Int32
    let startOffset: Int64
    let endOffset: Int64

    var description: String { "\(topic)/\(partition) [\(startOffset), \(endOffset))" }
}

/// Reads a source range from the broker into `SourceRecords` whose values point into the fetched
/// bytes. One fetch sized by `FetchSizing` covers the range in the common case, and its buffer is
/// used as is; when the range needs several, their buffers are concatenated once (about a quarter
/// of the read time for 200 MB, measured; avoiding it is why fetches are sized).
struct SourceReader {
    let client: KafkaClient
    let sizing: FetchSizing
    /// The most bytes of fetched records the task may hold.
    let inputBytesMax: Int
    /// How long to keep asking for records the broker does not have yet.
    let waitMs: Int
    let cancel: CancelFlag

    /// Records `range.startOffset ..< range.endOffset`; records before the start (sharing its
    /// batch) and after the end are left out.
    func read(_ range: SourceRange) throws(TaskFailure) -> SourceRecords {
        guard range.startOffset >= 0, range.endOffset >= range.startOffset else {
            throw TaskFailure("the source range \(range) is not a valid offset range")
        }
        var collected = CollectedRecords(expected: range.endOffset - range.startOffset)
        var offset = range.startOffset
        let deadlineMs = MonotonicClock.milliseconds() + UInt64(waitMs)
        while offset < range.endOffset {
            try cancel.check(before: "fetching \(range.topic)/\(range.partition) at offset \(offset)")
            let fetched = try fetch(
                range, at: offset,
                maxBytes: sizing.bytes(
                    topic: range.topic, partition: range.partition, offsets: range.endOffset - offset))
            if fetched.isEmpty {
                guard MonotonicClock.milliseconds() < deadlineMs else {
                    throw TaskFailure(
                        "the broker holds \(range.topic)/\(range.partition) only up to offset \(fetched.highWatermark), "
                            + "but the task reads \(range); waited \(waitMs) ms for the rest")
                }
                continue
            }
            try collected.add(fetched, endOffset: range.endOffset)
            guard collected.neededBytes <= inputBytesMax else {
                throw TaskFailure(
                    "\(range) holds more than the \(inputBytesMax) bytes one map task may read; "
                        + "set max_records_per_batch on the job to make its batches smaller")
            }
            if let first = fetched.batches.first, let last = fetched.batches.last {
                sizing.note(
                    topic: range.topic, partition: range.partition,
                    bytes: last.range.upperBound - first.range.lowerBound,
                    offsets: last.header.nextOffset - first.header.baseOffset)
            }
            guard fetched.nextOffset > offset else {
                throw TaskFailure("fetching \(range.topic)/\(range.partition) made no progress at offset \(offset)")
            }
            offset = fetched.nextOffset
        }
        return collected.records(partition: range.partition)
    }

    private func fetch(_ range: SourceRange, at offset: Int64, maxBytes: Int32) throws(TaskFailure) -> FetchedPartition
    {
        let options = FetchOptions(maxWaitMs: 500, minBytes: 1, maxBytes: maxBytes, partitionMaxBytes: maxBytes)
        do throws(KafkaClientError) {
            return try client.fetch(topic: range.topic, partition: range.partition, offset: offset, options: options)
        } catch {
            if case .offsetOutOfRange(_, _, _, let logStart, let highWatermark) = error {
                let held = "it holds \(logStart)..<\(highWatermark)"
                if offset < logStart {
                    throw TaskFailure(
                        "offset \(offset) of \(range.topic)/\(range.partition) is no longer in the broker (\(held)): "
                            + "retention removed records of \(range) before the batch ran")
                }
                throw TaskFailure(
                    "offset \(offset) of \(range.topic)/\(range.partition) is past the end of its log (\(held))")
            }
            throw TaskFailure("fetching \(range.topic)/\(range.partition) at offset \(offset): \(error)")
        }
    }
}

/// The record positions gathered from one or more fetches, before they become `SourceRecords`.
private struct CollectedRecords {
    var buffers: [[UInt8]] = []
    var bufferBytes = 0
    /// Bytes from the first fetched batch to the last record of the range (a fetch may bring more).
    var neededBytes = 0
    var valueStarts: [Int] = []
    var valueLengths: [Int32] = []
    var offsets: [Int64] = []
    var timestampsMs: [Int64] = []

    init(expected: Int64) {
        // A hostile range must not reserve unbounded memory up front.
        let reserve = Int(min(expected, 4_000_000))
        valueStarts.reserveCapacity(reserve)
        valueLengths.reserveCapacity(reserve)
        offsets.reserveCapacity(reserve)
        timestampsMs.reserveCapacity(reserve)
    }

    /// Adds the records of `fetched` below `endOffset`, with value positions in the concatenation.
    mutating func add(_ fetched: FetchedPartition, endOffset: Int64) throws(TaskFailure) {
        let base = bufferBytes
        var iterator = fetched.makeRecordIterator()
        do throws(KafkaClientError) {
            while let view = try iterator.next(), view.offset < endOffset {
                if let value = view.value {
                    valueStarts.append(base + value.lowerBound)
                    valueLengths.append(Int32(value.count))
                } else {
                    valueStarts.append(base)
                    valueLengths.append(-1)
                }
                offsets.append(view.offset)
                timestampsMs.append(view.timestampMs)
            }
        } catch {
            throw TaskFailure("reading records of \(fetched.topic)/\(fetched.partition): \(error)")
        }
        if let first = fetched.batches.first, let end = valueStarts.last.map({ $0 - base }), end >= 0 {
            neededBytes += end + Int(max(0, valueLengths.last ?? 0)) - first.range.lowerBound
        }
        buffers.append(fetched.records)
        bufferBytes += fetched.records.count
    }

    /// The records over one buffer: the single fetch's own, or all of them concatenated once.
    func records(partition: Int32) -> SourceRecords {
        let buffer: [UInt8]
        if buffers.count == 1 {
            buffer = buffers[0]
        } else {
            var joined: [UInt8] = []
            joined.reserveCapacity(bufferBytes)
            for part in buffers { joined.append(contentsOf: part) }
            buffer = joined
        }
        return SourceRecords(
            partition: partition, buffer: buffer, valueStarts: valueStarts, valueLengths: valueLengths,
            offsets: offsets, timestampsMs: timestampsMs)
    }
}
