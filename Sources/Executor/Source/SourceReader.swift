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
    /// The broker's address, naming the client's read-aheads.
    let brokerAddress: String
    let prefetch: SourcePrefetch
    let sizing: FetchSizing
    /// The most bytes of fetched records the task may hold.
    let inputBytesMax: Int
    /// How long to keep asking for records the broker does not have yet.
    let waitMs: Int
    let cancel: CancelFlag
    /// Whether a read that leaves a backlog behind it starts fetching the next range.
    var readsAhead = true

    /// A job keeping up with its source reads a few hundred records a batch, whose fetch takes
    /// well under a millisecond: reading ahead there would only add a request per task.
    static let readAheadOffsetsMin: Int64 = 10_000

    /// Records `range.startOffset ..< range.endOffset`; records before the start (sharing its
    /// batch) and after the end are left out.
    func read(_ range: SourceRange) throws(TaskFailure) -> SourceRecords {
        guard range.startOffset >= 0, range.endOffset >= range.startOffset else {
            throw TaskFailure("the source range \(range) is not a valid offset range")
        }
        var collected = CollectedRecords()
        var offset = range.startOffset
        let deadlineMs = MonotonicClock.milliseconds() + UInt64(waitMs)
        var ahead = prefetch.take(key(range, at: offset), timeoutMs: waitMs)
        var highWatermark: Int64 = -1
        while offset < range.endOffset {
            try cancel.check(before: "fetching \(range.topic)/\(range.partition) at offset \(offset)")
            var walked: WalkedFetch
            var probing = false
            if let taken = ahead {
                walked = taken
                walked.keep(below: range.endOffset)
                ahead = nil
            } else {
                probing = !sizing.knows(topic: range.topic, partition: range.partition)
                let fetched = try fetch(
                    range, at: offset,
                    maxBytes: sizing.bytes(
                        topic: range.topic, partition: range.partition, offsets: range.endOffset - offset))
                walked = try WalkedFetch(fetched, below: range.endOffset)
            }
            let fetched = walked.fetched
            highWatermark = max(highWatermark, fetched.highWatermark)
            if fetched.isEmpty {
                guard MonotonicClock.milliseconds() < deadlineMs else {
                    throw TaskFailure(
                        "the broker holds \(range.topic)/\(range.partition) only up to offset \(fetched.highWatermark), "
                            + "but the task reads \(range); waited \(waitMs) ms for the rest")
                }
                continue
            }
            if let first = fetched.batches.first, let last = fetched.batches.last {
                sizing.note(
                    topic: range.topic, partition: range.partition,
                    bytes: last.range.upperBound - first.range.lowerBound,
                    offsets: last.header.nextOffset - first.header.baseOffset)
            }
            // A probe that left part of the range unread is dropped: the fetch sized from what it taught
            // covers the range from its start, and that one frame is used as is, where keeping the probe
            // would copy both into one buffer (the probe costs at most `FetchSizing.probeBytes` again).
            if probing && collected.isEmpty && fetched.nextOffset < range.endOffset { continue }
            collected.add(walked)
            guard collected.neededBytes <= inputBytesMax else {
                throw TaskFailure(
                    "\(range) holds more than the \(inputBytesMax) bytes one map task may read; "
                        + "set max_records_per_batch on the job to make its batches smaller")
            }
            guard fetched.nextOffset > offset else {
                throw TaskFailure("fetching \(range.topic)/\(range.partition) made no progress at offset \(offset)")
            }
            offset = fetched.nextOffset
        }
        readAhead(after: range, highWatermark: highWatermark)
        return collected.records(partition: range.partition)
    }

    /// Hands the fetched frame under `records` back to the client for reuse by a later fetch, once
    /// the task is done with them: whatever it kept (rows, shuffle blocks, dead letters) is a copy.
    /// `records` is left without bytes.
    func recycle(_ records: inout SourceRecords) {
        let frame = records.buffer
        records.buffer = []
        client.recycleFrame(frame)
    }

    /// Starts fetching the next range of the partition when the broker already holds a backlog
    /// past this one: as many offsets as this range had, since a backlog is read in equal batches.
    private func readAhead(after range: SourceRange, highWatermark: Int64) {
        guard readsAhead else { return }
        let offsets = min(range.endOffset - range.startOffset, highWatermark - range.endOffset)
        guard offsets >= Self.readAheadOffsetsMin else { return }
        let bytes = sizing.bytes(topic: range.topic, partition: range.partition, offsets: offsets)
        prefetch.start(
            key(range, at: range.endOffset), client: client,
            options: FetchOptions(maxWaitMs: 0, minBytes: 1, maxBytes: bytes, partitionMaxBytes: bytes))
    }

    private func key(_ range: SourceRange, at offset: Int64) -> SourcePrefetch.Key {
        SourcePrefetch.Key(broker: brokerAddress, topic: range.topic, partition: range.partition, offset: offset)
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
