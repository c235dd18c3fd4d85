/// The rebalance cycle of Kafka's ClassicGroup: PreparingRebalance holds JoinGroups, completing
/// the join starts a generation, and the leader's SyncGroup makes the group Stable.
extension ConsumerGroup {
    /// Starts a rebalance unless one is already being prepared (Kafka's maybePrepareRebalance).
    mutating func maybePrepareRebalance(_ context: GroupEventContext, _ outbox: inout DirectiveOutbox) {
        guard GroupState.preparingRebalance.validPreviousStates.contains(state) else { return }
        prepareRebalance(context, &outbox)
    }

    /// Moves to PreparingRebalance: SyncGroups still waiting for the leader get REBALANCE_IN_PROGRESS
    /// so those members rejoin, and the join wait starts.
    mutating func prepareRebalance(_ context: GroupEventContext, _ outbox: inout DirectiveOutbox) {
        let nowMs = context.nowMs
        if state == .completingRebalance {
            for id in memberOrder {
                update(id) { member in
                    member.assignment = []
                    guard let token = member.heldSync else { return }
                    outbox.send(.respondSync(token, SyncGroupResponse(errorCode: .rebalanceInProgress, assignment: [])))
                    member.heldSync = nil
                    member.keepAlive(nowMs: nowMs)
                }
            }
        }
        pendingSyncMembers = []
        pendingSyncDeadlineMs = nil
        if state == .empty {
            let delayMs = context.config.initialRebalanceDelayMs
            rebalanceWait = .initialDelay(
                deadlineMs: nowMs + delayMs, remainingMs: max(rebalanceTimeoutMs - delayMs, 0), newMemberAdded: false)
        } else {
            rebalanceWait = .joins(deadlineMs: nowMs + rebalanceTimeoutMs)
        }
        transition(to: .preparingRebalance)
        tryCompleteJoin(context, &outbox)
    }

    /// True once every member waits in JoinGroup and no MEMBER_ID_REQUIRED id is outstanding.
    var allMembersJoined: Bool {
        pendingMembers.isEmpty && members.values.allSatisfy { $0.heldJoin != nil }
    }

    /// Completes the join phase if its wait is over; safe to call at any time.
    mutating func tryCompleteJoin(_ context: GroupEventContext, _ outbox: inout DirectiveOutbox) {
        guard state == .preparingRebalance, let wait = rebalanceWait else { return }
        switch wait {
        case .initialDelay(let deadlineMs, let remainingMs, let newMemberAdded):
            guard context.nowMs >= deadlineMs else { return }
            let delayMs = min(context.config.initialRebalanceDelayMs, remainingMs)
            if newMemberAdded && delayMs > 0 {
                // KIP-134: newcomers during the delay buy another delay, within the rebalance timeout.
                rebalanceWait = .initialDelay(
                    deadlineMs: deadlineMs + delayMs, remainingMs: remainingMs - delayMs, newMemberAdded: false)
                tryCompleteJoin(context, &outbox)
                return
            }
            completeJoin(context, &outbox)
        case .joins(let deadlineMs):
            if allMembersJoined || context.nowMs >= deadlineMs { completeJoin(context, &outbox) }
        }
    }

    /// Drops members that did not rejoin, bumps the generation, picks the protocol and answers
    /// every held JoinGroup; only the leader's answer lists the members.
    private mutating func completeJoin(_ context: GroupEventContext, _ outbox: inout DirectiveOutbox) {
        for id in memberOrder where members[id]?.heldJoin == nil {
            let gone = detach(id)
            precondition(gone?.heldSync == nil, "a SyncGroup was still held in PreparingRebalance")
        }
        rebalanceWait = nil
        // Wrapping is unreachable in practice (2^31 rebalances); Kafka's clients only compare for equality.
        generationId = generationId == Int32.max ? 1 : generationId + 1
        guard let leaderId, let leader = members[leaderId] else {
            protocolName = nil
            transition(to: .empty)
            return
        }
        protocolName = ProtocolSelection.select(
            members: memberOrder.compactMap { members[$0]?.protocols }, leader: leader.protocols)
        transition(to: .completingRebalance)
        let nowMs = context.nowMs
        for id in memberOrder {
            let response = joinResponse(for: id)
            update(id) { member in
                guard let token = member.heldJoin else { preconditionFailure("member \(id) rejoined without a join") }
                outbox.send(.respondJoin(token, response))
                member.heldJoin = nil
                member.isNew = false
                member.keepAlive(nowMs: nowMs)
            }
        }
        pendingSyncMembers = Set(memberOrder)
        pendingSyncDeadlineMs = nowMs + rebalanceTimeoutMs
    }

    /// Stores the leader's assignments (missing members get empty bytes, as in Kafka), answers
    /// every held SyncGroup with its own assignment and makes the group Stable.
    mutating func completeSync(
        _ assignments: [SyncGroupRequest.Assignment], _ context: GroupEventContext, _ outbox: inout DirectiveOutbox
    ) {
        var byMember: [String: [UInt8]] = [:]
        for entry in assignments { byMember[entry.memberId] = entry.assignment }
        transition(to: .stable)
        let (generation, nowMs) = (generationId, context.nowMs)
        for id in memberOrder {
            update(id) { member in
                member.assignment = byMember[id] ?? []
                member.assignmentGenerationId = generation
                guard let token = member.heldSync else { return }
                outbox.send(.respondSync(token, SyncGroupResponse(assignment: member.assignment)))
                member.heldSync = nil
                member.keepAlive(nowMs: nowMs)
            }
        }
    }

    /// Members that never sent SyncGroup within the rebalance timeout are removed and the rest
    /// rebalance (Kafka's pending-sync expiry), so a silent leader cannot stall the group.
    mutating func expirePendingSync(_ context: GroupEventContext, _ outbox: inout DirectiveOutbox) {
        let stale = memberOrder.filter(pendingSyncMembers.contains)
        pendingSyncMembers = []
        pendingSyncDeadlineMs = nil
        guard !stale.isEmpty, state == .completingRebalance || state == .stable else { return }
        for id in stale {
            let gone = detach(id)
            precondition(gone?.heldJoin == nil && gone?.heldSync == nil, "a pending-sync member held a request")
        }
        prepareRebalance(context, &outbox)
    }
}
