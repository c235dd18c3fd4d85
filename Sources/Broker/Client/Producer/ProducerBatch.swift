/// A batch of records for one partition: filled while open, queued once sealed, encoded when first
/// sent (so an idempotent producer can stamp its id and the partition's next sequence then), and
/// kept encoded for retries so a resend carries exactly the same bytes.
struct ProducerBatch: Sendable {
    var builder: RecordBatchBuilder
    var tickets: [UInt64] = []
    /// Bytes counted against the producer's buffer for these records.
    var bufferedBytes = 0
    let createdNs: UInt64
    /// Base sequence, assigned under the producer lock when first taken for sending.
    var sequence: Int32?
    /// The finished batch, once first sent.
    var encoded: [UInt8]?
    var attempts = 0

    init(createdNs: UInt64, capacityBytes: Int) {
        self.createdNs = createdNs
        builder = RecordBatchBuilder(capacityBytes: capacityBytes)
    }

    var recordCount: Int { tickets.count }

    /// Finishes the batch for sending (once); later calls return the same bytes.
    mutating func encode(producerId: Int64, producerEpoch: Int16) -> [UInt8] {
        if let encoded { return encoded }
        if let sequence {
            builder.producerId = producerId
            builder.producerEpoch = producerEpoch
            builder.baseSequence = sequence
        }
        let bytes = builder.finish()
        encoded = bytes
        builder = RecordBatchBuilder(capacityBytes: 0)
        return bytes
    }
}

/// Everything the producer holds for one partition. A class, so the per-record path finds it with
/// one hash lookup and appends in place; it lives in `ProducerState` and is touched only under its lock.
final class PartitionQueue {
    /// The batch records are being appended to.
    var open: ProducerBatch?
    /// Batches ready to send, oldest first (a retried batch goes back to the front).
    var sealed: [ProducerBatch] = []
    /// At most one request per partition is in flight, which keeps batches in order through retries.
    var inFlight = false
    /// No resend before this time (retry backoff).
    var retryNotBeforeNs: UInt64 = 0
    /// The idempotent producer's next sequence number for this partition.
    var nextSequence: Int32 = 0
}

/// Batches taken from the queues for one produce request.
struct DrainedRequest: Sendable {
    struct Entry: Sendable {
        let partition: TopicPartition
        var batches: [ProducerBatch]
    }

    let node: BrokerNode
    var entries: [Entry]

    var recordCount: Int {
        entries.reduce(0) { total, entry in total + entry.batches.reduce(0) { $0 + $1.recordCount } }
    }
}
