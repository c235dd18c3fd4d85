/// One member of a classic group, with the requests it is waiting on.
struct GroupMember: Equatable, Sendable {
    let memberId: String
    var groupInstanceId: String?
    var clientId: String
    var clientHost: String
    var sessionTimeoutMs: Int64
    var rebalanceTimeoutMs: Int64
    var protocolType: String
    var protocols: [JoinGroupRequest.GroupProtocol]
    /// A JoinGroup held until the rebalance completes (only in PreparingRebalance).
    var heldJoin: GroupRequestToken?
    /// A SyncGroup held until the leader's assignment arrives (only in CompletingRebalance).
    var heldSync: GroupRequestToken?
    var assignment: [UInt8] = []
    /// The generation `assignment` belongs to; -1 before any leader SyncGroup.
    var assignmentGenerationId: Int32 = -1
    /// When the member expires without a heartbeat (or, while new, without finishing its join).
    var heartbeatDeadlineMs: Int64
    /// True from the first JoinGroup until that join completes: only then does the session apply.
    var isNew: Bool

    /// The deadline that can remove this member now, or nil while a held request keeps it alive
    /// (Kafka: members awaiting join or sync satisfy their heartbeats, except new members).
    var expiryDeadlineMs: Int64? {
        if !isNew && (heldJoin != nil || heldSync != nil) { return nil }
        return heartbeatDeadlineMs
    }

    /// The member's metadata for `protocolName`; nil if it does not support it.
    func metadata(for protocolName: String) -> [UInt8]? {
        protocols.first { $0.name == protocolName }?.metadata
    }

    /// Restarts the session clock, as any sign of life from the member does.
    mutating func keepAlive(nowMs: Int64) {
        heartbeatDeadlineMs = nowMs + sessionTimeoutMs
    }
}
