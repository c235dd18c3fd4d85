/// The idempotent-producer bookkeeping of one partition (KAFKA-PROTOCOL.md G4), after Kafka's
/// ProducerStateManager: per producer id, its epoch and its last five batches' sequences and offsets.
///
/// Pure value: the partition checks a batch with `verdict`, appends, then `record`s it. A restart
/// rebuilds the table by `record`ing the headers at the log's tail, so a client retrying a batch
/// that was written but never acknowledged gets the original offsets instead of a duplicate.
struct ProducerStateTable: Equatable, Sendable {
    /// Kafka keeps the metadata of the last five batches per producer (max in-flight requests).
    static let batchesRemembered = 5

    /// Where one remembered batch went.
    struct BatchMetadata: Equatable, Sendable {
        var firstSequence: Int32
        var lastSequence: Int32
        var firstOffset: Int64
        var lastOffset: Int64
    }

    /// One producer's state on this partition.
    struct Entry: Equatable, Sendable {
        var epoch: Int16
        /// Oldest first, at most `batchesRemembered`.
        var batches: [BatchMetadata]
    }

    /// What to do with one incoming batch.
    enum Verdict: Equatable, Sendable {
        /// Not idempotent, or next in sequence: append it.
        case append
        /// An exact retry of a batch already in the log: answer with its offsets, append nothing.
        case duplicate(BatchMetadata)
        /// Refuse the batch with this code.
        case reject(KafkaErrorCode, String)
    }

    private(set) var entries: [Int64: Entry] = [:]
    /// Producers remembered per partition; past it the one that wrote longest ago is forgotten.
    let producersMax: Int

    init(producersMax: Int = 10_000) {
        precondition(producersMax > 0, "producersMax must be positive")
        self.producersMax = producersMax
    }

    /// The largest producer id seen, -1 if none.
    var producerIdMax: Int64 { entries.keys.max() ?? -1 }

    /// Checks `header` against what is known of its producer.
    func verdict(_ header: RecordBatchHeader) -> Verdict {
        guard header.producerId >= 0 else { return .append }
        let first = header.baseSequence
        guard first >= 0 else {
            return .reject(.outOfOrderSequenceNumber, "idempotent batch without a sequence number")
        }
        // Unknown producer (new, or its batches were removed by retention): any sequence starts it,
        // as Kafka accepts when it has no state for the id.
        guard let entry = entries[header.producerId] else { return .append }
        if header.producerEpoch < entry.epoch {
            return .reject(
                .invalidProducerEpoch,
                "producer \(header.producerId) epoch \(header.producerEpoch) is older than \(entry.epoch)")
        }
        if header.producerEpoch > entry.epoch {
            return first == 0
                ? .append
                : .reject(
                    .outOfOrderSequenceNumber,
                    "a new epoch of producer \(header.producerId) must start at sequence 0, not \(first)")
        }
        let last = Self.lastSequence(header)
        if let original = entry.batches.first(where: { $0.firstSequence == first && $0.lastSequence == last }) {
            return .duplicate(original)
        }
        guard let previous = entry.batches.last else { return .append }
        guard Self.follows(previous.lastSequence, first) else {
            return .reject(
                .outOfOrderSequenceNumber,
                "producer \(header.producerId) sent sequence \(first), expected \(Self.increment(previous.lastSequence, 1))"
            )
        }
        return .append
    }

    /// Remembers a batch of an idempotent producer that now sits in the log at `firstOffset`.
    mutating func record(_ header: RecordBatchHeader, firstOffset: Int64) {
        guard header.producerId >= 0, header.baseSequence >= 0 else { return }
        let metadata = BatchMetadata(
            firstSequence: header.baseSequence, lastSequence: Self.lastSequence(header), firstOffset: firstOffset,
            lastOffset: firstOffset + Int64(header.lastOffsetDelta))
        var entry = entries[header.producerId] ?? Entry(epoch: header.producerEpoch, batches: [])
        if header.producerEpoch > entry.epoch { entry = Entry(epoch: header.producerEpoch, batches: []) }
        entry.batches.append(metadata)
        if entry.batches.count > Self.batchesRemembered { entry.batches.removeFirst() }
        if entries[header.producerId] == nil && entries.count >= producersMax { evictOldest() }
        entries[header.producerId] = entry
    }

    /// Forgets the producer whose last batch is oldest; Kafka expires idle producer ids the same way.
    private mutating func evictOldest() {
        let oldest = entries.min {
            ($0.value.batches.last?.lastOffset ?? -1) < ($1.value.batches.last?.lastOffset ?? -1)
        }
        if let oldest { entries[oldest.key] = nil }
    }

    /// The sequence of the batch's last record; sequences wrap from Int32.max to 0.
    static func lastSequence(_ header: RecordBatchHeader) -> Int32 {
        increment(header.baseSequence, header.lastOffsetDelta)
    }

    /// `sequence + delta` wrapping past Int32.max to 0, as Kafka's DefaultRecordBatch.incrementSequence.
    static func increment(_ sequence: Int32, _ delta: Int32) -> Int32 {
        sequence > Int32.max - delta ? delta - (Int32.max - sequence) - 1 : sequence + delta
    }

    /// True when `next` is the sequence right after `last`.
    static func follows(_ last: Int32, _ next: Int32) -> Bool {
        next == increment(last, 1)
    }
}
