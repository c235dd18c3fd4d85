import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// Joining: JoinGroup then SyncGroup, repeated until both succeed in one generation.
extension ConsumerGroupMember {
    /// What to do after a failed round.
    private enum Next {
        case retryNow
        case retryAfterBackoff
    }

    /// Joins (or rejoins) the group and returns this member's partitions. Blocks for the whole
    /// rebalance, which lasts until every member has rejoined.
    @discardableResult
    public func join() throws(KafkaClientError) -> GroupAssignment {
        session.withLock { session in
            session.needsRejoin = true
            session.assignment = nil
        }
        for _ in 0..<config.joinAttemptsMax {
            if session.withLock({ $0.isStopped }) { throw .closed("the group member") }
            let next: Next
            do throws(KafkaClientError) {
                let connection = try joinConnection()
                if let assignment = try round(connection) { return assignment }
                next = .retryNow
            } catch {
                next = try recover(from: error)
            }
            if next == .retryAfterBackoff { usleep(UInt32(min(client.config.retryBackoffMaxMs, 10_000)) * 1000) }
        }
        throw .broker(
            .rebalanceInProgress,
            context: "joining group '\(config.groupId)' did not settle in \(config.joinAttemptsMax) rounds")
    }

    /// The dedicated JoinGroup/SyncGroup connection, opened if needed.
    private func joinConnection() throws(KafkaClientError) -> BrokerConnection {
        if let live = session.withLock({ $0.joinConnection }), live.failure == nil { return live }
        let fresh = try openCoordinatorConnection()
        let old = session.withLock { session in
            defer { session.joinConnection = fresh }
            return session.joinConnection
        }
        old?.close()
        return fresh
    }

    /// One JoinGroup + SyncGroup; nil when the group asked for another round.
    private func round(_ connection: BrokerConnection) throws(KafkaClientError) -> GroupAssignment? {
        let memberId = session.withLock { $0.memberId }
        let subscription = ConsumerSubscription(topics: config.topics.sorted())
        let request = JoinGroupRequest(
            groupId: config.groupId, sessionTimeoutMs: config.sessionTimeoutMs,
            rebalanceTimeoutMs: config.rebalanceTimeoutMs, memberId: memberId, protocolType: "consumer",
            protocols: [.init(name: RangeAssignor.name, metadata: subscription.encoded())])
        // The coordinator holds JoinGroup until every member rejoined, up to the rebalance timeout.
        let waitMs = Int(config.rebalanceTimeoutMs) + client.config.requestTimeoutMs
        let joined = try connection.call(request, timeoutMs: waitMs)
        switch joined.errorCode {
        case .noError: break
        case .memberIdRequired:
            session.withLock { $0.memberId = joined.memberId }
            return nil
        case let code: throw .broker(code, context: "joining group '\(config.groupId)'")
        }
        session.withLock { session in
            session.memberId = joined.memberId
            session.generationId = joined.generationId
        }
        let assignments = joined.leader == joined.memberId ? try assign(joined.members) : []
        let sync = SyncGroupRequest(
            groupId: config.groupId, generationId: joined.generationId, memberId: joined.memberId,
            assignments: assignments)
        let synced = try connection.call(sync, timeoutMs: waitMs)
        guard !synced.errorCode.isError else {
            throw .broker(synced.errorCode, context: "syncing group '\(config.groupId)'")
        }
        let mine: ConsumerAssignment
        do throws(DecodeError) { mine = try ConsumerAssignment.decode(synced.assignment) } catch {
            throw .malformedResponse(.syncGroup, broker: connection.node.address, reason: "assignment: \(error)")
        }
        let assignment = GroupAssignment(
            generationId: joined.generationId, memberId: joined.memberId, leaderId: joined.leader,
            partitions: mine.topicPartitions)
        session.withLock { session in
            session.assignment = assignment
            session.needsRejoin = false
            session.lastHeartbeatNs = MonotonicClock.nanoseconds()
        }
        bell.ring()
        return assignment
    }

    /// The leader's job: a `range` assignment over every member's subscription.
    private func assign(_ members: [JoinGroupResponse.Member]) throws(KafkaClientError) -> [SyncGroupRequest.Assignment]
    {
        var subscriptions: [String: [String]] = [:]
        for member in members {
            // A member whose metadata does not parse subscribes to nothing, rather than failing everyone.
            subscriptions[member.memberId] = (try? ConsumerSubscription.decode(member.metadata))?.topics ?? []
        }
        var counts: [String: Int] = [:]
        for topic in Set(subscriptions.values.flatMap { $0 }) {
            do throws(KafkaClientError) {
                counts[topic] = try client.topicMetadata(topic, refresh: true).partitionCount
            } catch {
                if case .unknownTopic = error { continue }
                throw error
            }
        }
        let plan = RangeAssignor.assign(subscriptions: subscriptions, partitionCounts: counts)
        return plan.keys.sorted().map {
            SyncGroupRequest.Assignment(memberId: $0, assignment: plan[$0]?.encoded() ?? [])
        }
    }

    /// Decides how to go on after a failed round, or rethrows what cannot be helped.
    private func recover(from error: KafkaClientError) throws(KafkaClientError) -> Next {
        switch error.kafkaCode {
        case .rebalanceInProgress?, .illegalGeneration?:
            return .retryNow
        case .unknownMemberId?:
            session.withLock { $0.memberId = "" }
            return .retryNow
        case .notCoordinator?, .coordinatorNotAvailable?, .coordinatorLoadInProgress?:
            dropJoinConnection()
            return .retryAfterBackoff
        default:
            guard error.isConnectionFailure else { throw error }
            dropJoinConnection()
            return .retryAfterBackoff
        }
    }

    private func dropJoinConnection() {
        client.forgetCoordinator(of: config.groupId)
        let old = session.withLock { session in
            defer { session.joinConnection = nil }
            return session.joinConnection
        }
        old?.close()
    }
}
