/// Time-driven changes: member session expiry, MEMBER_ID_REQUIRED ids never used, the pending
/// SyncGroup timeout and the join wait. Each fires at its own deadline, in deadline order, so the
/// outcome does not depend on how often the shell ticks.
extension ConsumerGroup {
    /// The earliest moment something in this group is due, nil when nothing is.
    var nextDeadlineMs: Int64? {
        var next = pendingMembers.values.min()
        func consider(_ deadlineMs: Int64?) {
            guard let deadlineMs else { return }
            next = Swift.min(next ?? deadlineMs, deadlineMs)
        }
        for member in members.values { consider(member.expiryDeadlineMs) }
        consider(pendingSyncDeadlineMs)
        consider(rebalanceWait?.deadlineMs)
        return next
    }

    /// Fires every timer due by `context.nowMs`, each at its own deadline.
    mutating func advance(_ context: GroupEventContext, _ outbox: inout DirectiveOutbox) {
        for _ in 0..<context.config.timerFiringsPerEventMax {
            guard let dueMs = nextDeadlineMs, dueMs <= context.nowMs else { return }
            fireTimers(GroupEventContext(nowMs: dueMs, config: context.config), &outbox)
        }
    }

    /// Handles everything due at `context.nowMs`; afterwards no deadline is at or before it.
    private mutating func fireTimers(_ context: GroupEventContext, _ outbox: inout DirectiveOutbox) {
        let nowMs = context.nowMs
        for (id, deadlineMs) in pendingMembers where deadlineMs <= nowMs { pendingMembers[id] = nil }
        for id in memberOrder {
            guard let deadlineMs = members[id]?.expiryDeadlineMs, deadlineMs <= nowMs else { continue }
            removeMember(id, context, &outbox)
        }
        if let deadlineMs = pendingSyncDeadlineMs, deadlineMs <= nowMs { expirePendingSync(context, &outbox) }
        tryCompleteJoin(context, &outbox)
    }
}
