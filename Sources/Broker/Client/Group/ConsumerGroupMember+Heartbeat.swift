import Wire

/// The heartbeat thread: while the member holds an assignment it heartbeats every interval, and
/// turns REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID into `needsRejoin`.
extension ConsumerGroupMember {
    /// One pass of the thread; false once the member has left.
    func heartbeatStep() -> Bool {
        let seen = bell.current
        let nowNs = MonotonicClock.nanoseconds()
        let intervalNs = UInt64(config.heartbeatIntervalMs) * 1_000_000
        let due = session.withLock { session -> (stopped: Bool, request: HeartbeatRequest?, atNs: UInt64) in
            if session.isStopped { return (true, nil, 0) }
            guard session.assignment != nil, !session.needsRejoin else { return (false, nil, nowNs + 200_000_000) }
            let atNs = session.lastHeartbeatNs + intervalNs
            guard atNs <= nowNs else { return (false, nil, atNs) }
            session.lastHeartbeatNs = nowNs
            let request = HeartbeatRequest(
                groupId: config.groupId, generationId: session.generationId, memberId: session.memberId)
            return (false, request, 0)
        }
        if due.stopped { return false }
        guard let request = due.request else {
            bell.wait(changedFrom: seen, deadlineNs: due.atNs)
            return true
        }
        beat(request)
        return true
    }

    private func beat(_ request: HeartbeatRequest) {
        do throws(KafkaClientError) {
            let connection = try heartbeatConnection()
            let response = try connection.call(request, timeoutMs: client.config.requestTimeoutMs)
            switch response.errorCode {
            case .noError: return
            case .rebalanceInProgress, .illegalGeneration, .unknownMemberId, .fencedInstanceId:
                session.withLock { session in
                    // Only the generation this beat was for is stale; a join may have moved on meanwhile.
                    if session.generationId == request.generationId { session.needsRejoin = true }
                }
            case .notCoordinator, .coordinatorNotAvailable, .coordinatorLoadInProgress:
                dropHeartbeatConnection()
            default:
                return
            }
        } catch {
            // The coordinator may have moved or restarted; look it up again next beat.
            dropHeartbeatConnection()
        }
    }

    private func heartbeatConnection() throws(KafkaClientError) -> BrokerConnection {
        if let live = session.withLock({ $0.heartbeatConnection }), live.failure == nil { return live }
        let fresh = try openCoordinatorConnection()
        let (old, stopped) = session.withLock { session in
            defer { if !session.isStopped { session.heartbeatConnection = fresh } }
            return (session.heartbeatConnection, session.isStopped)
        }
        old?.close()
        if stopped {
            fresh.close()
            throw .closed("the group member")
        }
        return fresh
    }

    private func dropHeartbeatConnection() {
        client.forgetCoordinator(of: config.groupId)
        let old = session.withLock { session in
            defer { session.heartbeatConnection = nil }
            return session.heartbeatConnection
        }
        old?.close()
    }
}
