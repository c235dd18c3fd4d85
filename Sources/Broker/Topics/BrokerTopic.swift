import Synchronization

/// One topic the broker hosts: its partitions, fixed at creation, and its traffic counters.
final class BrokerTopic: Sendable {
    let name: String
    let partitions: [BrokerPartition]
    let createdMs: Int64
    /// Record batch bytes and records produced into the topic.
    let bytesIn = Atomic<Int64>(0)
    let recordsIn = Atomic<Int64>(0)
    /// Record batch bytes and records returned by Fetch (whole batches, as sent).
    let bytesOut = Atomic<Int64>(0)
    let recordsOut = Atomic<Int64>(0)

    init(name: String, partitions: [BrokerPartition], createdMs: Int64) {
        precondition(!partitions.isEmpty, "a topic has at least one partition")
        self.name = name
        self.partitions = partitions
        self.createdMs = createdMs
    }

    /// The partition numbered `index`, nil when the topic has no such partition.
    func partition(_ index: Int32) -> BrokerPartition? {
        index >= 0 && Int(index) < partitions.count ? partitions[Int(index)] : nil
    }

    var record: TopicRecord { TopicRecord(name: name, partitionCount: Int32(partitions.count), createdMs: createdMs) }
}
