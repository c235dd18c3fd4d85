/// Heartbeat, LeaveGroup and member removal, with Kafka's ClassicGroup error rules.
extension ConsumerGroup {
    /// Removes a member for good (leave or expiry): its held requests get UNKNOWN_MEMBER_ID and the
    /// remaining members rebalance.
    mutating func removeMember(_ memberId: String, _ context: GroupEventContext, _ outbox: inout DirectiveOutbox) {
        guard let member = detach(memberId) else { return }
        if let token = member.heldJoin {
            outbox.send(.respondJoin(token, JoinGroupResponse(errorCode: .unknownMemberId, memberId: "")))
        }
        if let token = member.heldSync {
            outbox.send(.respondSync(token, SyncGroupResponse(errorCode: .unknownMemberId, assignment: [])))
        }
        switch state {
        case .stable, .completingRebalance: prepareRebalance(context, &outbox)
        case .preparingRebalance: tryCompleteJoin(context, &outbox)
        case .empty: break
        }
    }

    /// A heartbeat's error code; 27 during PreparingRebalance is how members learn to rejoin.
    mutating func heartbeat(memberId: String, generationId: Int32, _ context: GroupEventContext) -> KafkaErrorCode {
        guard members[memberId] != nil else { return .unknownMemberId }
        guard generationId == self.generationId else { return .illegalGeneration }
        let nowMs = context.nowMs
        switch state {
        case .empty:
            return .unknownMemberId
        case .preparingRebalance:
            update(memberId) { $0.keepAlive(nowMs: nowMs) }
            return .rebalanceInProgress
        case .completingRebalance, .stable:
            update(memberId) { $0.keepAlive(nowMs: nowMs) }
            return .noError
        }
    }

    /// One LeaveGroup entry's error code; a known member leaving rebalances the rest.
    mutating func leave(
        _ leaving: LeaveGroupRequest.Member, _ context: GroupEventContext, _ outbox: inout DirectiveOutbox
    ) -> KafkaErrorCode {
        // Removal by group.instance.id alone needs static membership, which Spate does not track.
        guard !leaving.memberId.isEmpty else { return .unknownMemberId }
        if pendingMembers.removeValue(forKey: leaving.memberId) != nil {
            tryCompleteJoin(context, &outbox)
            return .noError
        }
        guard members[leaving.memberId] != nil else { return .unknownMemberId }
        removeMember(leaving.memberId, context, &outbox)
        return .noError
    }

    /// The verdict on an OffsetCommit. Members of the generation may commit while Stable and
    /// during PreparingRebalance (the commit-before-rejoin path); an Empty group only takes
    /// commits from outside group management (generation -1, member "").
    mutating func commitVerdict(
        memberId: String, generationId: Int32, claimsMembership: Bool, _ context: GroupEventContext
    ) -> KafkaErrorCode {
        if claimsMembership {
            guard members[memberId] != nil else { return .unknownMemberId }
            guard generationId == self.generationId else { return .illegalGeneration }
        } else if state != .empty {
            return .unknownMemberId
        }
        let nowMs = context.nowMs
        switch state {
        case .empty:
            return .noError
        case .preparingRebalance, .stable:
            if members[memberId] != nil { update(memberId) { $0.keepAlive(nowMs: nowMs) } }
            return .noError
        case .completingRebalance:
            return .rebalanceInProgress
        }
    }
}
