/// Settings of a `KafkaConsumer`.
public struct ConsumerConfig: Sendable {
    /// Topics to read.
    public var topics: [String]
    /// Consumer group to join, sharing partitions and committing offsets; nil reads every partition alone.
    public var groupId: String?
    /// Where to start a partition with no committed offset (`auto.offset.reset`): `.earliest` or `.latest`.
    public var resetTo: OffsetSpec
    public var fetch: FetchOptions
    /// Group timings (used only with a group).
    public var sessionTimeoutMs: Int32
    public var rebalanceTimeoutMs: Int32
    public var heartbeatIntervalMs: Int

    /// A consumer of `topics`, alone or in `groupId`, starting at the latest offset like Kafka's.
    public init(topics: [String], groupId: String? = nil, resetTo: OffsetSpec = .latest) {
        self.topics = topics
        self.groupId = groupId
        self.resetTo = resetTo
        fetch = FetchOptions()
        sessionTimeoutMs = 45_000
        rebalanceTimeoutMs = 300_000
        heartbeatIntervalMs = 3_000
    }

    /// Why this configuration cannot work, or nil when it can.
    public var problem: String? {
        if topics.isEmpty { return "a consumer reads at least one topic" }
        if case .timestamp = resetTo { return "resetTo must be .earliest or .latest" }
        if fetch.maxWaitMs < 0 { return "the fetch wait must not be negative" }
        return nil
    }

    var memberConfig: GroupMemberConfig? {
        guard let groupId else { return nil }
        var config = GroupMemberConfig(groupId: groupId, topics: topics)
        config.sessionTimeoutMs = sessionTimeoutMs
        config.rebalanceTimeoutMs = rebalanceTimeoutMs
        config.heartbeatIntervalMs = heartbeatIntervalMs
        return config
    }
}
