/// One classic consumer group: its members, generation and timers. Every mutation takes the
/// event's time and an outbox; the group never reads a clock itself.
struct ConsumerGroup: Sendable {
    /// What a group in PreparingRebalance is waiting for.
    enum RebalanceWait: Equatable, Sendable {
        /// Kafka's InitialDelayedJoin: a group leaving Empty waits a fixed delay, extended (up to
        /// the rebalance timeout) while new members keep arriving, and never completes early.
        case initialDelay(deadlineMs: Int64, remainingMs: Int64, newMemberAdded: Bool)
        /// Kafka's DelayedJoin: complete once every known member rejoined, or at the deadline.
        case joins(deadlineMs: Int64)

        var deadlineMs: Int64 {
            switch self {
            case .initialDelay(let deadlineMs, _, _), .joins(let deadlineMs): deadlineMs
            }
        }
    }

    let groupId: String
    private(set) var state: GroupState = .empty
    var generationId: Int32 = 0
    var protocolType = ""
    /// The assignor chosen for the current generation; nil while Empty or PreparingRebalance.
    var protocolName: String?
    var leaderId: String?
    var members: [String: GroupMember] = [:]
    /// Member ids in join order: leader succession and response order follow it.
    var memberOrder: [String] = []
    /// Ids handed out with MEMBER_ID_REQUIRED, with the deadline by which they must rejoin.
    var pendingMembers: [String: Int64] = [:]
    var rebalanceWait: RebalanceWait?
    /// Members that got the generation's JoinGroup answer but have not sent SyncGroup yet.
    var pendingSyncMembers: Set<String> = []
    var pendingSyncDeadlineMs: Int64?

    init(groupId: String) { self.groupId = groupId }

    /// True when nothing but possibly committed offsets remains, so the record can go.
    var isDisposable: Bool { state == .empty && members.isEmpty && pendingMembers.isEmpty }

    /// Every request token this group holds.
    var heldTokens: [GroupRequestToken] {
        members.values.flatMap { [$0.heldJoin, $0.heldSync].compactMap { $0 } }
    }

    /// The longest rebalance timeout among members, which bounds how long a rebalance waits.
    var rebalanceTimeoutMs: Int64 { members.values.map(\.rebalanceTimeoutMs).max() ?? 0 }

    mutating func transition(to next: GroupState) {
        precondition(next.validPreviousStates.contains(state), "group \(groupId): \(state) -> \(next) is not allowed")
        state = next
    }

    /// Adds a member at the end of the join order; the first member of a group leads it.
    mutating func insert(_ member: GroupMember) {
        precondition(members[member.memberId] == nil, "member \(member.memberId) added twice")
        if members.isEmpty { protocolType = member.protocolType }
        members[member.memberId] = member
        memberOrder.append(member.memberId)
        if leaderId == nil { leaderId = member.memberId }
    }

    /// Removes a member's bookkeeping only; held requests and state changes are the caller's job.
    @discardableResult
    mutating func detach(_ memberId: String) -> GroupMember? {
        guard let member = members.removeValue(forKey: memberId) else { return nil }
        memberOrder.removeAll { $0 == memberId }
        pendingSyncMembers.remove(memberId)
        if pendingSyncMembers.isEmpty { pendingSyncDeadlineMs = nil }
        if leaderId == memberId { leaderId = memberOrder.first }
        return member
    }

    /// Calls `body` on a member in place; the member must exist.
    mutating func update(_ memberId: String, _ body: (inout GroupMember) -> Void) {
        guard var member = members.removeValue(forKey: memberId) else {
            preconditionFailure("member \(memberId) vanished from group \(groupId)")
        }
        body(&member)
        members[memberId] = member
    }

    /// The JoinGroup answer for `memberId` in the current generation; only the leader gets members.
    func joinResponse(for memberId: String) -> JoinGroupResponse {
        guard let protocolName, let leaderId else { preconditionFailure("join answered without a generation") }
        var response = JoinGroupResponse(
            generationId: generationId, protocolName: protocolName, leader: leaderId, memberId: memberId)
        if memberId == leaderId {
            response.members = memberOrder.compactMap { id in
                guard let member = members[id], let metadata = member.metadata(for: protocolName) else { return nil }
                return JoinGroupResponse.Member(
                    memberId: id, groupInstanceId: member.groupInstanceId, metadata: metadata)
            }
        }
        return response
    }

    /// A read-only copy for callers outside the coordinator.
    func describe() -> GroupDescription {
        let members = memberOrder.compactMap { self.members[$0] }.map { member in
            GroupDescription.Member(
                memberId: member.memberId, groupInstanceId: member.groupInstanceId, clientId: member.clientId,
                clientHost: member.clientHost, metadata: protocolName.flatMap { member.metadata(for: $0) } ?? [],
                assignment: member.assignment)
        }
        return GroupDescription(
            groupId: groupId, state: state, generationId: generationId, protocolType: protocolType,
            protocolName: protocolName ?? "", leaderId: leaderId ?? "", members: members)
    }
}

/// The time and settings one event runs with.
struct GroupEventContext: Sendable {
    let nowMs: Int64
    let config: GroupCoordinatorConfig
}
