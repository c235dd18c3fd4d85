import Wire

/// The sender's side of the bookkeeping: which partitions may send, taking their batches, and
/// folding each request's outcome back in.
extension ProducerState {
    /// What the sender should do now.
    struct Plan {
        /// Partitions with batches to send and nothing in flight.
        var ready: [TopicPartition] = []
        /// When something will next become ready on its own (a linger or a backoff ending).
        var wakeNs: UInt64 = .max
        /// Batches that ran out of delivery time while waiting.
        var expired: [DeliveryReport] = []
        /// Closed and nothing left to send or wait for: the sender may stop.
        var finished = false
    }

    /// Seals lingering batches whose time came, expires overdue ones, and lists ready partitions.
    mutating func plan(nowNs: UInt64, config: ProducerConfig) -> Plan {
        var plan = Plan()
        let lingerNs = UInt64(config.lingerMs) * 1_000_000
        let deliveryNs = UInt64(config.deliveryTimeoutMs) * 1_000_000
        for (partition, queue) in queues.sorted(by: { $0.key < $1.key }) {
            if let open = queue.open {
                if flushers > 0 || isClosed || nowNs >= open.createdNs + lingerNs {
                    seal(partition, queue)
                } else {
                    plan.wakeNs = min(plan.wakeNs, open.createdNs + lingerNs)
                }
            }
            guard !queue.inFlight else { continue }
            // Only batches never sent may expire here; one already written may still have landed.
            while let first = queue.sealed.first, first.encoded == nil, nowNs >= first.createdNs + deliveryNs {
                queue.sealed.removeFirst()
                plan.expired.append(
                    fail(first, partition, .deliveryTimedOut(afterMs: config.deliveryTimeoutMs, lastError: "")))
            }
            guard !queue.sealed.isEmpty else { continue }
            if queue.retryNotBeforeNs <= nowNs {
                plan.ready.append(partition)
            } else {
                plan.wakeNs = min(plan.wakeNs, queue.retryNotBeforeNs)
            }
        }
        plan.finished = isClosed && unfinishedRecords == 0
        return plan
    }

    /// Takes up to `budgetBytes` of `partition`'s queued batches (at least one) for a request,
    /// giving first-time batches their sequence numbers; marks the partition in flight.
    mutating func take(_ partition: TopicPartition, budgetBytes: Int, idempotent: Bool) -> [ProducerBatch] {
        guard let queue = queues[partition], !queue.inFlight, !queue.sealed.isEmpty else { return [] }
        var taken: [ProducerBatch] = []
        var bytes = 0
        while let first = queue.sealed.first {
            let size = first.encoded?.count ?? first.builder.sizeBytes
            guard taken.isEmpty || bytes + size <= budgetBytes else { break }
            var batch = queue.sealed.removeFirst()
            if idempotent && batch.sequence == nil {
                batch.sequence = queue.nextSequence
                // Kafka wraps sequences at Int32.max back to 0.
                let next = Int64(queue.nextSequence) + Int64(batch.recordCount)
                queue.nextSequence = Int32(
                    truncatingIfNeeded: next > Int64(Int32.max) ? next - Int64(Int32.max) - 1 : next)
            }
            bytes += size
            taken.append(batch)
        }
        queue.inFlight = !taken.isEmpty
        return taken
    }

    /// Folds in one partition's outcome: a base offset (nil under acks=0), or an error that is
    /// retried while delivery time remains.
    mutating func complete(
        _ partition: TopicPartition, _ batches: [ProducerBatch], outcome: Result<Int64?, KafkaClientError>,
        nowNs: UInt64, config: ProducerConfig, backoffMs: Int
    ) -> [DeliveryReport] {
        queues[partition]?.inFlight = false
        switch outcome {
        case .success(let baseOffset):
            var next = baseOffset
            var reports: [DeliveryReport] = []
            for batch in batches {
                reports.append(
                    DeliveryReport(
                        topic: partition.topic, partition: partition.partition, baseOffset: next,
                        tickets: batch.tickets, error: nil))
                next = next.map { $0 + Int64(batch.recordCount) }
                release(batch)
                acknowledgedSinceFlush += batch.recordCount
            }
            return reports
        case .failure(let error):
            let deliveryNs = UInt64(config.deliveryTimeoutMs) * 1_000_000
            let withinTime = batches.first.map { nowNs < $0.createdNs + deliveryNs } ?? false
            if error.isRetriable && withinTime {
                var retried = batches
                for index in retried.indices { retried[index].attempts += 1 }
                let queue = queue(partition)
                queue.sealed.insert(contentsOf: retried, at: 0)
                queue.retryNotBeforeNs = nowNs + UInt64(backoffMs) * 1_000_000
                return []
            }
            let reported =
                error.isRetriable
                ? KafkaClientError.deliveryTimedOut(afterMs: config.deliveryTimeoutMs, lastError: error.description)
                : error
            return batches.map { fail($0, partition, reported) }
        }
    }

    /// Counts `reports` as on their way to the delivery callback (when one listens), so `flush`
    /// waits for them; `KafkaProducer.report` uncounts them once delivered.
    mutating func holdReports(_ reports: [DeliveryReport], listening: Bool) -> [DeliveryReport] {
        if listening && !reports.isEmpty { reportsInFlight += 1 }
        return reports
    }

    /// Records a batch as failed and returns its report.
    mutating func fail(_ batch: ProducerBatch, _ partition: TopicPartition, _ error: KafkaClientError)
        -> DeliveryReport
    {
        release(batch)
        let report = DeliveryReport(
            topic: partition.topic, partition: partition.partition, baseOffset: nil, tickets: batch.tickets,
            error: error)
        failedSinceFlush.append(report)
        return report
    }

    private mutating func release(_ batch: ProducerBatch) {
        bufferedBytes -= batch.bufferedBytes
        unfinishedRecords -= batch.recordCount
        precondition(bufferedBytes >= 0 && unfinishedRecords >= 0, "producer accounting went negative")
    }
}
