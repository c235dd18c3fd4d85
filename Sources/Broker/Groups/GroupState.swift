/// A classic consumer group's state, as in Apache Kafka's ClassicGroupState.
public enum GroupState: String, Equatable, Sendable {
    /// No members; offsets may remain. Kafka's name: "Empty".
    case empty = "Empty"
    /// Holding JoinGroups until every known member rejoins or the rebalance timeout expires.
    case preparingRebalance = "PreparingRebalance"
    /// The generation is chosen; waiting for the leader's SyncGroup.
    case completingRebalance = "CompletingRebalance"
    /// Every member has an assignment for the current generation.
    case stable = "Stable"

    /// States a group may move to this one from; any other move is a coordinator bug.
    var validPreviousStates: Set<GroupState> {
        switch self {
        case .empty: [.preparingRebalance]
        case .preparingRebalance: [.empty, .completingRebalance, .stable]
        case .completingRebalance: [.preparingRebalance]
        case .stable: [.completingRebalance]
        }
    }
}

/// A read-only view of one group, for DescribeGroups-style answers and for tests.
public struct GroupDescription: Equatable, Sendable {
    /// One member as the coordinator knows it.
    public struct Member: Equatable, Sendable {
        public var memberId: String
        public var groupInstanceId: String?
        public var clientId: String
        public var clientHost: String
        /// The member's metadata for the chosen protocol; empty while none is chosen.
        public var metadata: [UInt8]
        /// The assignment from the current generation's SyncGroup; empty until the leader synced.
        public var assignment: [UInt8]
    }

    public var groupId: String
    public var state: GroupState
    public var generationId: Int32
    public var protocolType: String
    /// "" unless the group is CompletingRebalance or Stable.
    public var protocolName: String
    /// "" when the group has no members.
    public var leaderId: String
    /// In join order.
    public var members: [Member]
}
