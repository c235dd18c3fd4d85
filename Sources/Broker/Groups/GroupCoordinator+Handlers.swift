/// Request-level checks shared by every group API, then dispatch to the group.
extension GroupCoordinator {
    mutating func handleJoin(_ call: JoinCall, _ context: GroupEventContext) {
        let request = call.request
        guard !request.groupId.isEmpty else { return outbox.send(call.rejection(.invalidGroupId)) }
        guard (config.sessionTimeoutMinMs...config.sessionTimeoutMaxMs).contains(request.sessionTimeoutMs) else {
            return outbox.send(call.rejection(.invalidSessionTimeout))
        }
        if groups[request.groupId] == nil {
            // Only a first join (no member id) may create a group.
            guard request.memberId.isEmpty else { return outbox.send(call.rejection(.unknownMemberId)) }
            guard groups.count < config.groupsMax else { return outbox.send(call.rejection(.coordinatorNotAvailable)) }
        }
        let newMemberId = request.memberId.isEmpty ? makeMemberId(clientId: call.clientId) : nil
        withGroup(request.groupId, create: true, context) { group, outbox in
            group.join(call, newMemberId: newMemberId, context, &outbox)
        }
    }

    mutating func handleSync(_ request: SyncGroupRequest, token: GroupRequestToken, _ context: GroupEventContext) {
        guard !request.groupId.isEmpty else {
            return outbox.send(.respondSync(token, SyncGroupResponse(errorCode: .invalidGroupId, assignment: [])))
        }
        let handled: Void? = withGroup(request.groupId, context) { group, outbox in
            group.sync(request, token: token, context, &outbox)
        }
        if handled == nil {
            outbox.send(.respondSync(token, SyncGroupResponse(errorCode: .unknownMemberId, assignment: [])))
        }
    }

    mutating func handleHeartbeat(_ request: HeartbeatRequest, token: GroupRequestToken, _ context: GroupEventContext) {
        var code = KafkaErrorCode.invalidGroupId
        if !request.groupId.isEmpty {
            code =
                withGroup(request.groupId, context) { group, _ in
                    group.heartbeat(memberId: request.memberId, generationId: request.generationId, context)
                } ?? .unknownMemberId
        }
        outbox.send(.respondHeartbeat(token, HeartbeatResponse(errorCode: code)))
    }

    mutating func handleLeave(
        _ request: LeaveGroupRequest, version: Int16, token: GroupRequestToken, _ context: GroupEventContext
    ) {
        guard !request.groupId.isEmpty else {
            return outbox.send(.respondLeave(token, LeaveGroupResponse(errorCode: .invalidGroupId)))
        }
        let leaving = request.leavingMembers(version: version)
        let codes =
            withGroup(request.groupId, context) { group, outbox in
                leaving.map { group.leave($0, context, &outbox) }
            } ?? leaving.map { _ in .unknownMemberId }
        var response = LeaveGroupResponse()
        if version >= 3 {
            response.members = zip(leaving, codes).map { member, code in
                LeaveGroupResponse.Member(
                    memberId: member.memberId, groupInstanceId: member.groupInstanceId, errorCode: code)
            }
        } else {
            // v0–2 name one member and report its error at the top level.
            response.errorCode = codes.first ?? .noError
        }
        outbox.send(.respondLeave(token, response))
    }
}
