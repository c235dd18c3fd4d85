import Wire

/// The producer's bookkeeping, kept under one lock and free of I/O: it takes records and send
/// outcomes and says which partitions are ready. `KafkaProducer` is the shell that does the I/O.
struct ProducerState {
    var queues: [TopicPartition: PartitionQueue] = [:]
    var partitionCounts: [String: Int] = [:]
    /// Partition that null-key records of a topic go to until its batch is sealed (sticky partitioning).
    var sticky: [String: Int32] = [:]
    var bufferedBytes = 0
    /// Records handed to `send` and not yet acknowledged or failed.
    var unfinishedRecords = 0
    var acknowledgedSinceFlush = 0
    var failedSinceFlush: [DeliveryReport] = []
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

    /// Where `send` should put a record with no explicit partition.
    mutating func choosePartition(topic: String, key: [UInt8]?, partitionCount: Int) -> Int32 {
        if let key { return Murmur2.partition(forKey: key, partitionCount: partitionCount) }
        if let current = sticky[topic], current < Int32(partitionCount) { return current }
        let start = Int32.random(in: 0..<Int32(partitionCount))
        sticky[topic] = start
        return start
    }

    /// Appends `record` to `partition`'s open batch; returns its ticket and whether the sender
    /// should wake (a batch was sealed or a new one started its linger clock).
    mutating func append(
        _ record: ProducerRecord, to partition: TopicPartition, timestampMs: Int64, nowNs: UInt64,
        config: ProducerConfig
    ) -> (ticket: UInt64, wake: Bool) {
        let bound = record.encodedBytesBound
        var wake = false
        if let size = queues[partition]?.open?.builder.sizeBytes, size + bound > config.batchBytes {
            seal(partition)
            wake = true
        }
        if queues[partition]?.open == nil {
            let capacity = min(config.batchBytes, max(16 << 10, bound + RecordBatchHeader.size))
            queues[partition, default: PartitionQueue()].open = ProducerBatch(createdNs: nowNs, capacityBytes: capacity)
            wake = true
        }
        let ticket = nextTicket
        nextTicket += 1
        // Optional chaining through the dictionary mutates the batch in place: no buffer copy.
        queues[partition]?.open?.builder.append(
            timestampMs: timestampMs, key: record.key, value: record.value, headers: record.headers)
        queues[partition]?.open?.tickets.append(ticket)
        queues[partition]?.open?.bufferedBytes += bound
        bufferedBytes += bound
        unfinishedRecords += 1
        if let size = queues[partition]?.open?.builder.sizeBytes, size >= config.batchBytes {
            seal(partition)
            wake = true
        }
        return (ticket, wake)
    }

    /// Moves `partition`'s open batch to its send queue, and moves null-key records on to the next
    /// partition if they were sticking to this one.
    mutating func seal(_ partition: TopicPartition) {
        guard let open = queues[partition]?.open else { return }
        queues[partition]?.open = nil
        queues[partition]?.sealed.append(open)
        if sticky[partition.topic] == partition.partition, let count = partitionCounts[partition.topic], count > 0 {
            sticky[partition.topic] = (partition.partition + 1) % Int32(count)
        }
    }
}
