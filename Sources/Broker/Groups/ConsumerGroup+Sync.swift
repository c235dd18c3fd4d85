/// SyncGroup handling, after Kafka's GroupCoordinator.doSyncGroup.
extension ConsumerGroup {
    /// Handles a SyncGroup: followers wait for the leader during CompletingRebalance; in Stable
    /// everyone gets its stored assignment back.
    mutating func sync(
        _ request: SyncGroupRequest, token: GroupRequestToken, _ context: GroupEventContext,
        _ outbox: inout DirectiveOutbox
    ) {
        let memberId = request.memberId
        func answer(_ code: KafkaErrorCode, _ assignment: [UInt8] = []) {
            outbox.send(.respondSync(token, SyncGroupResponse(errorCode: code, assignment: assignment)))
        }
        guard let member = members[memberId] else { return answer(.unknownMemberId) }
        guard request.generationId == generationId else { return answer(.illegalGeneration) }
        switch state {
        case .empty:
            answer(.unknownMemberId)
        case .preparingRebalance:
            answer(.rebalanceInProgress)
        case .completingRebalance:
            update(memberId) { member in
                if let superseded = member.heldSync {
                    outbox.send(
                        .respondSync(superseded, SyncGroupResponse(errorCode: .rebalanceInProgress, assignment: [])))
                }
                member.heldSync = token
            }
            outbox.hold(token)
            markSynced(memberId)
            if memberId == leaderId { completeSync(request.assignments, context, &outbox) }
        case .stable:
            markSynced(memberId)
            let nowMs = context.nowMs
            update(memberId) { $0.keepAlive(nowMs: nowMs) }
            answer(.noError, member.assignment)
        }
    }

    private mutating func markSynced(_ memberId: String) {
        pendingSyncMembers.remove(memberId)
        if pendingSyncMembers.isEmpty { pendingSyncDeadlineMs = nil }
    }
}
