import Broker
import Synchronization

@testable import Driver

/// An in-memory broker: topics of partitions of records with headers. `failProduce(after:)` makes a
/// produce call fail once after appending only part of its records, as a crash mid-write would.
final class FakeBroker: DriverBroker {
    struct State {
        var topics: [String: [[OutgoingRecord]]] = [:]
        var earliest: [String: [Int64]] = [:]
        var defaultPartitions: Int32 = 3
        var failAfterRecords: Int?
        var offsetsUnavailable = false
        var produceCalls = 0
    }

    let state = Mutex(State())

    init(defaultPartitions: Int32 = 3) {
        state.withLock { $0.defaultPartitions = defaultPartitions }
    }

    /// Creates `topic` with `partitions` partitions (no-op if it exists).
    func createTopic(_ topic: String, partitions: Int) {
        state.withLock { state in
            if state.topics[topic] == nil { state.topics[topic] = Array(repeating: [], count: partitions) }
        }
    }

    /// Appends plain records to a source partition (creating the topic with `partitions` partitions).
    func append(_ topic: String, partition: Int, values: [[UInt8]], partitions: Int = 1) {
        createTopic(topic, partitions: partitions)
        state.withLock { state in
            for value in values {
                state.topics[topic]![partition].append(OutgoingRecord(key: nil, value: value, headers: []))
            }
        }
    }

    /// The next produce call appends `count` of its records, then fails.
    func failProduce(after count: Int) { state.withLock { $0.failAfterRecords = count } }

    /// Records of one partition.
    func records(_ topic: String, partition: Int) -> [OutgoingRecord] {
        state.withLock { $0.topics[topic]?[partition] ?? [] }
    }

    /// Records of every partition of `topic`, partition by partition.
    func allRecords(_ topic: String) -> [OutgoingRecord] {
        state.withLock { ($0.topics[topic] ?? []).flatMap { $0 } }
    }

    func partitionOffsets(topic: String) throws(DriverBrokerError) -> [PartitionOffsets] {
        try state.withLock { state throws(DriverBrokerError) in
            if state.offsetsUnavailable { throw DriverBrokerError("broker unreachable") }
            guard let partitions = state.topics[topic] else { return [] }
            return partitions.indices.map { index in
                PartitionOffsets(
                    partition: Int32(index), earliest: state.earliest[topic]?[index] ?? 0,
                    latest: Int64(partitions[index].count))
            }
        }
    }

    func partitionCount(topic: String) throws(DriverBrokerError) -> Int32 {
        state.withLock { state in
            if state.topics[topic] == nil {
                state.topics[topic] = Array(repeating: [], count: Int(state.defaultPartitions))
            }
            return Int32(state.topics[topic]!.count)
        }
    }

    func produce(topic: String, partition: Int32, records: [OutgoingRecord]) throws(DriverBrokerError) {
        try state.withLock { state throws(DriverBrokerError) in
            state.produceCalls += 1
            guard state.topics[topic]?.indices.contains(Int(partition)) == true else {
                throw DriverBrokerError("no partition \(partition) of \(topic)")
            }
            var allowed = records.count
            if let limit = state.failAfterRecords { allowed = min(limit, records.count) }
            state.topics[topic]![Int(partition)] += records.prefix(allowed)
            if let limit = state.failAfterRecords, limit < records.count {
                state.failAfterRecords = nil
                throw DriverBrokerError("injected failure after \(limit) records")
            }
        }
    }

    func tailHeaders(topic: String, partition: Int32, recordsMax: Int) throws(DriverBrokerError) -> [[RecordHeader]] {
        state.withLock { state in
            let records = state.topics[topic]?[Int(partition)] ?? []
            return records.suffix(recordsMax).map(\.headers)
        }
    }
}

extension OutgoingRecord {
    /// The value of header `key`, as text.
    func header(_ key: String) -> String? {
        headers.last { $0.key == key }?.value.map { String(decoding: $0, as: UTF8.self) }
    }
}
