import Broker
import Synchronization

/// `DriverBroker` over Spate's Kafka client: works with `spate broker` and any Kafka cluster.
/// One per job: its producer's flush reports cover only that job's records.
public final class KafkaDriverBroker: DriverBroker {
    private let client: KafkaClient
    private let producer: Mutex<KafkaProducer?> = Mutex(nil)

    /// An adapter over `client` (shared by every job of the driver).
    public init(client: KafkaClient) {
        self.client = client
    }

    public func partitionOffsets(topic: String) throws(DriverBrokerError) -> [PartitionOffsets] {
        do throws(KafkaClientError) {
            let metadata = try client.topicMetadata(topic, refresh: true)
            let partitions = metadata.partitions.map(\.partition)
            guard !partitions.isEmpty else { return [] }
            let earliest = try client.offsets(topic: topic, partitions: partitions, at: .earliest)
            let latest = try client.offsets(topic: topic, partitions: partitions, at: .latest)
            return partitions.sorted().map { partition in
                let first = max(0, earliest[partition] ?? 0)
                return PartitionOffsets(
                    partition: partition, earliest: first, latest: max(first, latest[partition] ?? 0))
            }
        } catch {
            if case .unknownTopic = error { return [] }
            if error.kafkaCode == .unknownTopicOrPartition { return [] }
            throw DriverBrokerError("offsets of '\(topic)': \(error)")
        }
    }

    public func partitionCount(topic: String) throws(DriverBrokerError) -> Int32 {
        do throws(KafkaClientError) {
            let metadata = try client.topicMetadata(topic, allowAutoCreate: true)
            if metadata.partitionCount > 0 { return Int32(metadata.partitionCount) }
            return Int32(try client.topicMetadata(topic, allowAutoCreate: true, refresh: true).partitionCount)
        } catch {
            throw DriverBrokerError("metadata of '\(topic)': \(error)")
        }
    }

    public func produce(topic: String, partition: Int32, records: [OutgoingRecord]) throws(DriverBrokerError) {
        guard !records.isEmpty else { return }
        let report: FlushReport
        do throws(KafkaClientError) {
            let producer = try ownProducer()
            for record in records {
                try producer.send(
                    ProducerRecord(
                        topic: topic, key: record.key, value: record.value, headers: record.headers,
                        partition: partition))
            }
            report = try producer.flush()
        } catch {
            throw DriverBrokerError("producing to '\(topic)'/\(partition): \(error)")
        }
        if let failure = report.failed.first {
            let reason = failure.error.map { "\($0)" } ?? "unknown error"
            throw DriverBrokerError("\(report.failedRecords) records to '\(topic)'/\(partition) failed: \(reason)")
        }
    }

    public func tailHeaders(topic: String, partition: Int32, recordsMax: Int) throws(DriverBrokerError)
        -> [[RecordHeader]]
    {
        do throws(KafkaClientError) {
            let earliest = try client.offsets(topic: topic, partitions: [partition], at: .earliest)[partition] ?? 0
            let latest = try client.offsets(topic: topic, partitions: [partition], at: .latest)[partition] ?? 0
            var offset = max(earliest, latest - Int64(recordsMax))
            var headers: [[RecordHeader]] = []
            while offset < latest {
                let fetched = try client.fetch(
                    topic: topic, partition: partition, offset: offset, options: FetchOptions(maxWaitMs: 0))
                var iterator = fetched.makeRecordIterator()
                while let view = try iterator.next() {
                    if view.offset >= latest { break }
                    headers.append(try fetched.headers(of: view))
                }
                guard fetched.nextOffset > offset else { break }
                offset = fetched.nextOffset
            }
            return headers
        } catch {
            throw DriverBrokerError("reading the tail of '\(topic)'/\(partition): \(error)")
        }
    }

    /// The job's producer: idempotent with acks=all, so a retried request never duplicates a record.
    private func ownProducer() throws(KafkaClientError) -> KafkaProducer {
        if let existing = producer.withLock({ $0 }) { return existing }
        let made = try KafkaProducer(client: client, config: ProducerConfig(acks: .all, lingerMs: 0))
        return producer.withLock { slot in
            if let existing = slot { return existing }
            slot = made
            return made
        }
    }

    /// Flushes and stops the producer.
    public func close() {
        producer.withLock { $0 }?.close()
    }
}
