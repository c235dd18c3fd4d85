import Synchronization
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// Reads topics partition by partition: alone (every partition, from committed nothing, starting at
/// `resetTo`) or as a member of a consumer group (the partitions the `range` assignment gives it,
/// from the group's committed offsets). `poll` long-polls every owned partition at once and returns
/// what arrived, advancing the positions; `commit` stores positions in the group. Meant for one
/// thread at a time (every call blocks); the object itself is safe to hand between threads.
public final class KafkaConsumer: Sendable {
    struct State {
        var positions: [TopicPartition: Int64] = [:]
        var isAssigned = false
        var isClosed = false
    }

    public let client: KafkaClient
    public let config: ConsumerConfig
    /// The group membership, when the consumer belongs to a group.
    public let member: ConsumerGroupMember?
    private let state = Mutex(State())

    /// A consumer over `client`; it connects and joins on the first `poll`.
    public init(client: KafkaClient, config: ConsumerConfig) throws(KafkaClientError) {
        if let problem = config.problem { throw .invalidConfig(problem) }
        self.client = client
        self.config = config
        member = try config.memberConfig.map { config throws(KafkaClientError) in
            try ConsumerGroupMember(client: client, config: config)
        }
    }

    /// The next offset to read per owned partition.
    public var positions: [TopicPartition: Int64] { state.withLock { $0.positions } }

    /// The partitions this consumer reads now, sorted.
    public var assignment: [TopicPartition] { state.withLock { $0.positions.keys.sorted() } }

    /// Moves `partition`'s position (it must be owned).
    public func seek(_ partition: TopicPartition, to offset: Int64) {
        state.withLock { state in
            if state.positions[partition] != nil { state.positions[partition] = offset }
        }
    }

    /// Waits up to the fetch wait for records on every owned partition and returns the partitions
    /// that had some; rejoins the group first when a rebalance is under way.
    public func poll() throws(KafkaClientError) -> [FetchedPartition] {
        try ensureAssignment()
        let positions = state.withLock { $0.positions }
        guard !positions.isEmpty else {
            // A member left without partitions still waits, so a poll loop does not spin.
            usleep(UInt32(min(max(Int(config.fetch.maxWaitMs), 1), 1_000)) * 1000)
            return []
        }
        let results = client.fetch(positions, options: config.fetch)
        var arrived: [FetchedPartition] = []
        var failures = 0
        for key in results.keys.sorted() {
            switch results[key] {
            case .success(let fetched)?:
                state.withLock { state in
                    if let current = state.positions[key], fetched.nextOffset > current {
                        state.positions[key] = fetched.nextOffset
                    }
                }
                if !fetched.isEmpty { arrived.append(fetched) }
            case .failure(.offsetOutOfRange)?:
                try reset([key])
            case .failure?, nil:
                failures += 1
            }
        }
        if failures > 0 && failures == results.count {
            // Every partition failed (broker restarting, leader moving): pause before the caller polls again.
            usleep(UInt32(min(client.config.retryBackoffMaxMs, 10_000)) * 1000)
        }
        return arrived
    }

    /// Commits `offsets` (default: every position) to the group; a no-op without a group.
    public func commit(_ offsets: [TopicPartition: Int64]? = nil) throws(KafkaClientError) {
        guard let member else { return }
        try member.commit(offsets ?? positions)
    }

    /// Leaves the group (after committing the positions when `commitPositions`); later polls fail.
    public func close(commitPositions: Bool = false) throws(KafkaClientError) {
        let wasClosed = state.withLock { state in
            defer { state.isClosed = true }
            return state.isClosed
        }
        guard !wasClosed, let member else { return }
        defer { member.leave() }
        if commitPositions && member.assignment != nil { try commit() }
    }

    private func ensureAssignment() throws(KafkaClientError) {
        let (closed, assigned) = state.withLock { ($0.isClosed, $0.isAssigned) }
        if closed { throw .closed("the consumer") }
        if let member {
            guard member.needsRejoin else { return }
            let previous = state.withLock { $0.positions }
            // Commits are accepted while a rebalance is being prepared, so the next owner starts here.
            if !previous.isEmpty && member.assignment != nil { try? member.commit(previous) }
            let assignment = try member.join()
            let committed = try client.committedOffsets(group: member.config.groupId, partitions: assignment.partitions)
            state.withLock { $0.positions = committed }
            try reset(assignment.partitions.filter { committed[$0] == nil })
        } else if !assigned {
            var all: [TopicPartition] = []
            for topic in config.topics {
                for partition in try client.topicMetadata(topic).partitions {
                    all.append(TopicPartition(topic: topic, partition: partition.partition))
                }
            }
            try reset(all)
            state.withLock { $0.isAssigned = true }
        }
    }

    /// Moves `partitions` to `config.resetTo` (earliest or latest).
    private func reset(_ partitions: [TopicPartition]) throws(KafkaClientError) {
        for topic in Set(partitions.map(\.topic)) {
            let indexes = partitions.filter { $0.topic == topic }.map(\.partition)
            let offsets = try client.offsets(topic: topic, partitions: indexes, at: config.resetTo)
            state.withLock { state in
                for (partition, offset) in offsets {
                    state.positions[TopicPartition(topic: topic, partition: partition)] = offset
                }
            }
        }
    }
}
