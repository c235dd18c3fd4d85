/// One JoinGroup as the group sees it: the request plus what the shell knows about its sender.
struct JoinCall: Sendable {
    let request: JoinGroupRequest
    let version: Int16
    let clientId: String
    let clientHost: String
    let token: GroupRequestToken

    /// JoinGroup v0 carries no rebalance timeout; Kafka uses the session timeout instead.
    var rebalanceTimeoutMs: Int64 {
        Int64(request.rebalanceTimeoutMs >= 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs)
    }

    /// An error answer that echoes the caller's member id.
    func rejection(_ code: KafkaErrorCode) -> GroupDirective {
        .respondJoin(token, JoinGroupResponse(errorCode: code, memberId: request.memberId))
    }
}

/// JoinGroup handling, after Kafka's GroupCoordinator.doJoinGroup.
extension ConsumerGroup {
    /// Handles a JoinGroup; `newMemberId` is the id to hand out when the request carries none.
    mutating func join(
        _ call: JoinCall, newMemberId: String?, _ context: GroupEventContext, _ outbox: inout DirectiveOutbox
    ) {
        let memberId = call.request.memberId
        if let newMemberId {
            joinUnknownMember(call, memberId: newMemberId, context, &outbox)
        } else if pendingMembers[memberId] != nil {
            guard acceptsProtocols(of: call, replacing: memberId) else {
                return outbox.send(call.rejection(.inconsistentGroupProtocol))
            }
            pendingMembers[memberId] = nil
            addMemberAndRebalance(call, memberId: memberId, context, &outbox)
        } else if members[memberId] == nil {
            outbox.send(call.rejection(.unknownMemberId))
        } else if !acceptsProtocols(of: call, replacing: memberId) {
            outbox.send(call.rejection(.inconsistentGroupProtocol))
        } else {
            joinKnownMember(call, context, &outbox)
        }
        tryCompleteJoin(context, &outbox)
    }

    /// True if the caller's protocol type matches and it shares a protocol with every other member.
    func acceptsProtocols(of call: JoinCall, replacing memberId: String?) -> Bool {
        guard !call.request.protocolType.isEmpty else { return false }
        let others = memberOrder.filter { $0 != memberId }.compactMap { members[$0]?.protocols }
        if !others.isEmpty && call.request.protocolType != protocolType { return false }
        return ProtocolSelection.isCompatible(call.request.protocols, with: others)
    }

    private mutating func joinUnknownMember(
        _ call: JoinCall, memberId: String, _ context: GroupEventContext, _ outbox: inout DirectiveOutbox
    ) {
        guard acceptsProtocols(of: call, replacing: nil) else {
            return outbox.send(call.rejection(.inconsistentGroupProtocol))
        }
        guard members.count + pendingMembers.count < context.config.groupMembersMax else {
            return outbox.send(call.rejection(.groupMaxSizeReached))
        }
        guard call.version >= 4 else { return addMemberAndRebalance(call, memberId: memberId, context, &outbox) }
        // KIP-394: the id must come back in a second JoinGroup before the member counts, so a
        // client that dies between the two calls never stalls a rebalance past its session timeout.
        pendingMembers[memberId] = context.nowMs + Int64(call.request.sessionTimeoutMs)
        outbox.send(.respondJoin(call.token, JoinGroupResponse(errorCode: .memberIdRequired, memberId: memberId)))
    }

    private mutating func addMemberAndRebalance(
        _ call: JoinCall, memberId: String, _ context: GroupEventContext, _ outbox: inout DirectiveOutbox
    ) {
        let request = call.request
        insert(
            GroupMember(
                memberId: memberId, groupInstanceId: request.groupInstanceId, clientId: call.clientId,
                clientHost: call.clientHost, sessionTimeoutMs: Int64(request.sessionTimeoutMs),
                rebalanceTimeoutMs: call.rebalanceTimeoutMs, protocolType: request.protocolType,
                protocols: request.protocols, heldJoin: call.token,
                heartbeatDeadlineMs: context.nowMs + context.config.newMemberJoinTimeoutMs, isNew: true))
        if case .initialDelay(let deadlineMs, let remainingMs, _) = rebalanceWait {
            rebalanceWait = .initialDelay(deadlineMs: deadlineMs, remainingMs: remainingMs, newMemberAdded: true)
        }
        outbox.hold(call.token)
        maybePrepareRebalance(context, &outbox)
    }

    private mutating func joinKnownMember(
        _ call: JoinCall, _ context: GroupEventContext, _ outbox: inout DirectiveOutbox
    ) {
        let memberId = call.request.memberId
        let unchanged = members[memberId]?.protocols == call.request.protocols
        switch state {
        case .preparingRebalance:
            updateMemberAndRebalance(call, context, &outbox)
        case .completingRebalance:
            // Same metadata: the client probably lost our answer, so repeat it.
            if unchanged { return outbox.send(.respondJoin(call.token, joinResponse(for: memberId))) }
            updateMemberAndRebalance(call, context, &outbox)
        case .stable:
            // The leader rejoins to make us rebalance (e.g. topic metadata changed); followers with
            // unchanged metadata just get the current generation back.
            if unchanged && memberId != leaderId {
                return outbox.send(.respondJoin(call.token, joinResponse(for: memberId)))
            }
            updateMemberAndRebalance(call, context, &outbox)
        case .empty:
            outbox.send(call.rejection(.unknownMemberId))
        }
    }

    private mutating func updateMemberAndRebalance(
        _ call: JoinCall, _ context: GroupEventContext, _ outbox: inout DirectiveOutbox
    ) {
        let request = call.request
        if members.count == 1 { protocolType = request.protocolType }
        update(request.memberId) { member in
            // A second JoinGroup replaces the first; the first's connection is most likely gone,
            // and 27 makes a live client simply retry.
            if let superseded = member.heldJoin {
                outbox.send(
                    .respondJoin(
                        superseded, JoinGroupResponse(errorCode: .rebalanceInProgress, memberId: request.memberId)))
            }
            member.protocolType = request.protocolType
            member.protocols = request.protocols
            member.sessionTimeoutMs = Int64(request.sessionTimeoutMs)
            member.rebalanceTimeoutMs = call.rebalanceTimeoutMs
            member.clientId = call.clientId
            member.clientHost = call.clientHost
            member.heldJoin = call.token
        }
        outbox.hold(call.token)
        maybePrepareRebalance(context, &outbox)
    }
}
