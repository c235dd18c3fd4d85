import Wire

/// The producer's bookkeeping, kept under one lock and free of I/O: it takes records and send
/// outcomes and says which partitions are ready. `KafkaProducer` is the shell that does the I/O.
struct ProducerState {
    var queues: [TopicPartition: PartitionQueue] = [:]
    /// Partitions per topic, cached so `send` asks no one; forgotten every metadata max age so
    /// partitions added to a topic are picked up.
    var partitionCounts: [String: Int] = [:]
    var partitionCountsSinceNs: UInt64 = 0
    /// Partition that null-key records of a topic go to until its batch is sealed (sticky partitioning).
    var sticky: [String: Int32] = [:]
    var bufferedBytes = 0
    /// Records handed to `send` and not yet acknowledged or failed.
    var unfinishedRecords = 0
    var acknowledgedSinceFlush = 0
    var failedSinceFlush: [DeliveryReport] = []
    /// Groups of reports taken out of the lock and not yet handed to the delivery callback.
    var reportsInFlight = 0
    var nextTicket: UInt64 = 0
    /// Flushes waiting right now; while any waits, batches are sent without lingering.
    var flushers = 0
    var isClosed = false
    var inFlightByNode: [String: Int] = [:]
    /// Batches carry a producer id and sequences (off when the broker lacks InitProducerId).
    var idempotent: Bool
    var producerId: Int64 = -1
    var producerEpoch: Int16 = -1

    init(idempotent: Bool) {
        self.idempotent = idempotent
    }

    /// What `send` found when it tried to queue a record.
    enum Admission {
        case appended(ticket: UInt64, wake: Bool)
        /// The topic's partition count is not cached yet.
        case needsMetadata
        case bufferFull
        case refused(KafkaClientError)
    }

    /// Queues `record` if it can go now: the topic's partition count is known and the buffer has room.
    mutating func admit(_ record: ProducerRecord, bound: Int, timestampMs: Int64, config: ProducerConfig) -> Admission {
        if isClosed { return .refused(.closed("the producer")) }
        guard let count = partitionCounts[record.topic] else { return .needsMetadata }
        if let partition = record.partition, !(0..<Int32(count)).contains(partition) {
            return .refused(.unknownPartition(topic: record.topic, partition: partition))
        }
        // An empty buffer takes any record, so one larger than the buffer cannot wait forever.
        if bufferedBytes > 0 && bufferedBytes + bound > config.bufferBytesMax { return .bufferFull }
        let partition = record.partition ?? choosePartition(topic: record.topic, key: record.key, partitionCount: count)
        let (ticket, wake) = append(
            record, to: TopicPartition(topic: record.topic, partition: partition), timestampMs: timestampMs,
            config: config)
        return .appended(ticket: ticket, wake: wake)
    }

    /// Where `send` should put a record with no explicit partition.
    mutating func choosePartition(topic: String, key: [UInt8]?, partitionCount: Int) -> Int32 {
        if let key { return Murmur2.partition(forKey: key, partitionCount: partitionCount) }
        if let current = sticky[topic], current < Int32(partitionCount) { return current }
        let start = Int32.random(in: 0..<Int32(partitionCount))
        sticky[topic] = start
        return start
    }

    /// The queue of `partition`, created on first use.
    mutating func queue(_ partition: TopicPartition) -> PartitionQueue {
        if let queue = queues[partition] { return queue }
        let queue = PartitionQueue()
        queues[partition] = queue
        return queue
    }

    /// Appends `record` to `partition`'s open batch; returns its ticket and whether the sender
    /// should wake (a batch was sealed or a new one started its linger clock).
    mutating func append(
        _ record: ProducerRecord, to partition: TopicPartition, timestampMs: Int64, config: ProducerConfig
    ) -> (ticket: UInt64, wake: Bool) {
        let bound = record.encodedBytesBound
        let queue = queue(partition)
        var wake = false
        if let size = queue.open?.builder.sizeBytes, size + bound > config.batchBytes {
            seal(partition, queue)
            wake = true
        }
        if queue.open == nil {
            // Room for the whole batch up front: the builder reserves exactly what each record needs, so
            // a buffer that had to grow would be copied once per record. Untouched pages cost nothing.
            let capacity = max(config.batchBytes, bound) + RecordBatchHeader.size
            queue.open = ProducerBatch(createdNs: MonotonicClock.nanoseconds(), capacityBytes: capacity)
            wake = true
        }
        let ticket = nextTicket
        nextTicket += 1
        queue.open?.builder.append(
            timestampMs: timestampMs, key: record.key, value: record.value, headers: record.headers)
        queue.open?.tickets.append(ticket)
        queue.open?.bufferedBytes += bound
        bufferedBytes += bound
        unfinishedRecords += 1
        if let size = queue.open?.builder.sizeBytes, size >= config.batchBytes {
            seal(partition, queue)
            wake = true
        }
        return (ticket, wake)
    }

    /// Moves `partition`'s open batch to its send queue, and moves null-key records on to the next
    /// partition if they were sticking to this one.
    mutating func seal(_ partition: TopicPartition, _ queue: PartitionQueue) {
        guard let open = queue.open else { return }
        queue.open = nil
        queue.sealed.append(open)
        if sticky[partition.topic] == partition.partition, let count = partitionCounts[partition.topic], count > 0 {
            sticky[partition.topic] = (partition.partition + 1) % Int32(count)
        }
    }
}
