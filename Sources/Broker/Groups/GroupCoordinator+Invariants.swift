/// Bookkeeping checks for tests and debug builds: everything held is accounted for, every group
/// is internally consistent. Returns descriptions of violations, empty when all is well.
extension GroupCoordinator {
    /// Every broken invariant, described; empty when the coordinator is consistent.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        var held: [GroupRequestToken] = Array(pendingCommits.keys)
        for (groupId, group) in groups {
            problems += group.invariantViolations().map { "group \(groupId): \($0)" }
            held += group.heldTokens
            if group.isDisposable && offsets[groupId] == nil { problems.append("group \(groupId) should be dropped") }
        }
        if Set(held).count != held.count { problems.append("a token is held twice") }
        if Set(held) != outbox.heldTokens {
            problems.append("held tokens \(held.count) != outbox ledger \(outbox.heldTokens.count)")
        }
        return problems
    }

    /// Requests currently held: joins, syncs and commits awaiting persistence.
    public var heldTokenCount: Int { outbox.heldTokens.count }
}

extension ConsumerGroup {
    func invariantViolations() -> [String] {
        var problems: [String] = []
        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append(message()) }
        }
        check(Set(memberOrder) == Set(members.keys) && memberOrder.count == members.count, "join order out of sync")
        check(leaderId.map { members[$0] != nil } ?? members.isEmpty, "leader \(leaderId ?? "nil") is not a member")
        check(Set(pendingMembers.keys).isDisjoint(with: members.keys), "an id is both pending and a member")
        check((state == .preparingRebalance) == (rebalanceWait != nil), "join wait outside PreparingRebalance")
        check(state != .empty || members.isEmpty, "Empty group with members")
        check(pendingSyncMembers.isSubset(of: members.keys), "pending sync for a non-member")
        check(pendingSyncMembers.isEmpty == (pendingSyncDeadlineMs == nil), "pending-sync deadline out of sync")
        for member in members.values {
            check(member.heldJoin == nil || state == .preparingRebalance, "\(member.memberId) holds a join in \(state)")
            check(
                member.heldSync == nil || state == .completingRebalance, "\(member.memberId) holds a sync in \(state)")
            if state == .completingRebalance || state == .stable {
                check(
                    protocolName.flatMap(member.metadata(for:)) != nil,
                    "\(member.memberId) lacks protocol \(protocolName ?? "nil")")
            }
            if state == .stable {
                check(member.assignmentGenerationId == generationId, "\(member.memberId) has a stale assignment")
            }
        }
        return problems
    }
}
