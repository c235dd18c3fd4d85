/// One partition of one topic, as a key for committed offsets.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    /// A topic-partition key.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// A group's committed position on one partition, as OffsetFetch returns it.
public struct CommittedOffset: Equatable, Sendable {
    public var offset: Int64
    /// -1 when the client sent none (OffsetCommit before v6).
    public var leaderEpoch: Int32
    /// "" when the client sent null.
    public var metadata: String
    /// Wall-clock time of the commit, for retention and display.
    public var commitTimestampMs: Int64
    /// Coordinator-wide order of acceptance: of two values for one key the higher sequence wins,
    /// in memory and on replay, whatever order the shell happened to write them in.
    public var sequence: UInt64

    /// A committed value.
    public init(offset: Int64, leaderEpoch: Int32, metadata: String, commitTimestampMs: Int64, sequence: UInt64) {
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
        self.commitTimestampMs = commitTimestampMs
        self.sequence = sequence
    }
}

/// The accepted part of one OffsetCommit: what the shell must make durable before it is answered.
public struct OffsetCommitBatch: Equatable, Sendable {
    /// One partition's new value.
    public struct Entry: Equatable, Sendable {
        public var topicPartition: TopicPartition
        public var value: CommittedOffset

        /// An entry.
        public init(topicPartition: TopicPartition, value: CommittedOffset) {
            self.topicPartition = topicPartition
            self.value = value
        }
    }

    public var groupId: String
    public var entries: [Entry]

    /// A batch for one group.
    public init(groupId: String, entries: [Entry]) {
        self.groupId = groupId
        self.entries = entries
    }
}

/// Every group's committed offsets, keyed by group id then partition.
public typealias CommittedOffsets = [String: [TopicPartition: CommittedOffset]]

extension Dictionary where Key == String, Value == [TopicPartition: CommittedOffset] {
    /// Applies a batch, keeping per key whichever value has the higher sequence.
    mutating func apply(_ batch: OffsetCommitBatch) {
        var group = self[batch.groupId] ?? [:]
        for entry in batch.entries {
            if let current = group[entry.topicPartition], current.sequence > entry.value.sequence { continue }
            group[entry.topicPartition] = entry.value
        }
        self[batch.groupId] = group
    }

    /// The highest sequence of any stored value, 0 if none.
    var sequenceMax: UInt64 {
        values.lazy.flatMap { $0.values }.map(\.sequence).max() ?? 0
    }
}
