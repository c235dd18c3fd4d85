/// Settings of a consumer group member; defaults follow Kafka's consumer.
public struct GroupMemberConfig: Sendable {
    public var groupId: String
    /// Topics this member subscribes to.
    public var topics: [String]
    /// The coordinator drops a member it has not heard from for this long (`session.timeout.ms`).
    public var sessionTimeoutMs: Int32
    /// How long the coordinator waits for every member to rejoin (`max.poll.interval.ms`).
    public var rebalanceTimeoutMs: Int32
    /// How often the background thread heartbeats (`heartbeat.interval.ms`).
    public var heartbeatIntervalMs: Int
    /// JoinGroup/SyncGroup rounds a `join` may take before it gives up.
    public var joinAttemptsMax: Int

    /// A member of `groupId` subscribed to `topics`.
    public init(groupId: String, topics: [String]) {
        self.groupId = groupId
        self.topics = topics
        sessionTimeoutMs = 45_000
        rebalanceTimeoutMs = 300_000
        heartbeatIntervalMs = 3_000
        joinAttemptsMax = 50
    }

    /// Why this configuration cannot work, or nil when it can.
    public var problem: String? {
        if groupId.isEmpty { return "the group id is empty" }
        if topics.isEmpty { return "a group member subscribes to at least one topic" }
        if heartbeatIntervalMs <= 0 || Int(sessionTimeoutMs) <= heartbeatIntervalMs {
            return "the heartbeat interval must be positive and shorter than the session timeout"
        }
        if rebalanceTimeoutMs <= 0 || joinAttemptsMax <= 0 {
            return "rebalanceTimeoutMs and joinAttemptsMax must be positive"
        }
        return nil
    }
}

/// A member's place in the group after a completed join.
public struct GroupAssignment: Equatable, Sendable {
    public var generationId: Int32
    public var memberId: String
    public var leaderId: String
    /// The partitions this member now owns, sorted.
    public var partitions: [TopicPartition]

    /// True when this member computed everyone's assignment.
    public var isLeader: Bool { memberId == leaderId }
}
