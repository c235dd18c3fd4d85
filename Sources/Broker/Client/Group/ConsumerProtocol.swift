import Wire

// The "consumer" protocol type's opaque JoinGroup metadata and SyncGroup assignment bytes
// (ConsumerProtocolSubscription / ConsumerProtocolAssignment). Spate writes v0, as kafka-python
// does, and reads any version: later versions only append fields (owned partitions, generation,
// rack), which are skipped, so Spate can share a group with kafka-python and librdkafka members.

/// What a group member subscribes to, carried in JoinGroup's protocol metadata.
public struct ConsumerSubscription: Equatable, Sendable {
    public var version: Int16
    public var topics: [String]
    public var userData: [UInt8]?

    /// A v0 subscription to `topics`.
    public init(topics: [String], userData: [UInt8]? = [], version: Int16 = 0) {
        self.version = version
        self.topics = topics
        self.userData = userData
    }

    /// The v0 encoding: version, topics, user data (empty bytes, as both reference clients send).
    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(Int16(0))
        writer.writeKafkaArray(topics) { writer, topic in writer.writeInt16String(topic) }
        writer.writeInt32Bytes(userData)
        return writer.bytes
    }

    /// Reads any version's common prefix; what later versions append is ignored.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> ConsumerSubscription {
        var reader = ByteReader(bytes)
        let version = try reader.readInt16()
        guard version >= 0 else { throw .invalidValue("subscription version \(version)", at: 0) }
        let topics = try reader.readKafkaArray(minElementBytes: 2) { reader throws(DecodeError) in
            try reader.readInt16String()
        }
        // v0 may end right after the topics in very old clients; user data is then absent.
        let userData = reader.isAtEnd ? nil : try reader.readNullableInt32Bytes()
        return ConsumerSubscription(topics: topics, userData: userData, version: version)
    }
}

/// The partitions the leader gave one member, carried in SyncGroup's assignment bytes.
public struct ConsumerAssignment: Equatable, Sendable {
    public var version: Int16
    /// Partitions per topic, in the order they were written.
    public var partitions: [(topic: String, partitions: [Int32])]
    public var userData: [UInt8]?

    /// A v0 assignment.
    public init(partitions: [(topic: String, partitions: [Int32])], userData: [UInt8]? = [], version: Int16 = 0) {
        self.version = version
        self.partitions = partitions
        self.userData = userData
    }

    public static func == (lhs: ConsumerAssignment, rhs: ConsumerAssignment) -> Bool {
        lhs.version == rhs.version && lhs.userData == rhs.userData && lhs.partitions.count == rhs.partitions.count
            && zip(lhs.partitions, rhs.partitions).allSatisfy { $0.topic == $1.topic && $0.partitions == $1.partitions }
    }

    /// Every assigned partition, sorted.
    public var topicPartitions: [TopicPartition] {
        partitions.flatMap { entry in entry.partitions.map { TopicPartition(topic: entry.topic, partition: $0) } }
            .sorted()
    }

    /// The v0 encoding: version, (topic, partitions) pairs, user data (empty bytes).
    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(Int16(0))
        writer.writeKafkaArray(partitions) { writer, entry in
            writer.writeInt16String(entry.topic)
            writer.writeInt32Array(entry.partitions)
        }
        writer.writeInt32Bytes(userData)
        return writer.bytes
    }

    /// Reads any version's common prefix. Empty bytes mean "nothing assigned" (a member the
    /// leader left out, or a leader's failed sync), as Kafka's clients read them.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> ConsumerAssignment {
        guard !bytes.isEmpty else { return ConsumerAssignment(partitions: []) }
        var reader = ByteReader(bytes)
        let version = try reader.readInt16()
        guard version >= 0 else { throw .invalidValue("assignment version \(version)", at: 0) }
        let partitions = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            (topic: try reader.readInt16String(), partitions: try reader.readInt32Array())
        }
        let userData = reader.isAtEnd ? nil : try reader.readNullableInt32Bytes()
        return ConsumerAssignment(partitions: partitions, userData: userData, version: version)
    }
}

/// Kafka's `range` assignor (RangeAssignor): per topic, the members subscribed to it sorted by
/// member id take consecutive runs of partitions, the first `partitions % members` one extra.
public enum RangeAssignor {
    /// The protocol name members advertise in JoinGroup.
    public static let name = "range"

    /// Partitions per member, for every member in `subscriptions` (member id → topics), given each
    /// topic's partition count; topics without a known count are left unassigned.
    public static func assign(subscriptions: [String: [String]], partitionCounts: [String: Int])
        -> [String: ConsumerAssignment]
    {
        var perMember: [String: [String: [Int32]]] = [:]
        for member in subscriptions.keys { perMember[member] = [:] }
        let topics = Set(subscriptions.values.flatMap { $0 })
        for topic in topics.sorted() {
            guard let count = partitionCounts[topic], count > 0 else { continue }
            let members = subscriptions.filter { $0.value.contains(topic) }.keys.sorted()
            let share = count / members.count
            let extra = count % members.count
            var next = 0
            for (index, member) in members.enumerated() {
                let take = share + (index < extra ? 1 : 0)
                if take > 0 { perMember[member]?[topic] = (next..<(next + take)).map { Int32($0) } }
                next += take
            }
        }
        return perMember.mapValues { topics in
            ConsumerAssignment(partitions: topics.keys.sorted().map { (topic: $0, partitions: topics[$0] ?? []) })
        }
    }
}
