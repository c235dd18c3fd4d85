/// The consumer-group coordinator as a pure state machine (Instance/Shell/Directive): it does no
/// I/O, reads no clock and starts no task. The shell feeds it requests with the current
/// monotonic time and carries out the returned directives in order.
///
/// The shell's side of the contract:
/// - Give every request a token that is not currently held; a token may be reused once answered.
/// - Send each `respond*` response to the connection its token names (encoded at that request's
///   version); a held JoinGroup or SyncGroup delays later responses on that connection only (G8).
/// - For `.persistOffsets`, append the batch to the `OffsetStore` outside the coordinator's lock,
///   then call `offsetsPersisted(token:succeeded:)` and carry out the `.respondCommit` it returns.
/// - Call `tick(nowMs:)` now and then (every ~100 ms, or at `nextDeadlineMs`); timers fire at their
///   own deadlines, so tick frequency changes latency, never outcomes.
/// - Keep the value in a `Mutex`; events must not nest.
public struct GroupCoordinator: Sendable {
    /// The settings this coordinator runs with.
    public let config: GroupCoordinatorConfig
    var groups: [String: ConsumerGroup] = [:]
    var offsets: CommittedOffsets
    var pendingCommits: [GroupRequestToken: PendingCommit] = [:]
    var nextCommitSequence: UInt64
    var outbox = DirectiveOutbox()
    var random: any RandomNumberGenerator & Sendable
    /// The latest time seen; events carrying an earlier time (threads racing to the mutex) use it.
    var clockMs: Int64 = .min

    /// An OffsetCommit whose accepted entries the shell is making durable.
    struct PendingCommit: Sendable {
        let batch: OffsetCommitBatch
        let response: OffsetCommitResponse
    }

    /// A coordinator; `random` feeds generated member ids, `committedOffsets` comes from `OffsetStore`.
    public init(
        config: GroupCoordinatorConfig = GroupCoordinatorConfig(),
        random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        committedOffsets: CommittedOffsets = [:]
    ) {
        self.config = config
        self.random = random
        self.offsets = committedOffsets
        self.nextCommitSequence = committedOffsets.sequenceMax + 1
    }

    // MARK: events

    /// JoinGroup (any version 0–5): answered at once or held until the rebalance completes.
    public mutating func join(
        _ request: JoinGroupRequest, version: Int16, clientId: String, clientHost: String,
        token: GroupRequestToken, nowMs: Int64
    ) -> [GroupDirective] {
        let call = JoinCall(
            request: request, version: version, clientId: clientId, clientHost: clientHost, token: token)
        return event(token, nowMs: nowMs) { coordinator, context in coordinator.handleJoin(call, context) }
    }

    /// SyncGroup: answered at once, or held until the leader's SyncGroup arrives.
    public mutating func sync(_ request: SyncGroupRequest, token: GroupRequestToken, nowMs: Int64) -> [GroupDirective] {
        event(token, nowMs: nowMs) { coordinator, context in coordinator.handleSync(request, token: token, context) }
    }

    /// Heartbeat: always answered at once.
    public mutating func heartbeat(_ request: HeartbeatRequest, token: GroupRequestToken, nowMs: Int64)
        -> [GroupDirective]
    {
        event(token, nowMs: nowMs) { coordinator, context in
            coordinator.handleHeartbeat(request, token: token, context)
        }
    }

    /// LeaveGroup (v0–2 one member, v3 a batch): always answered at once.
    public mutating func leave(
        _ request: LeaveGroupRequest, version: Int16, token: GroupRequestToken, nowMs: Int64
    ) -> [GroupDirective] {
        event(token, nowMs: nowMs) { coordinator, context in
            coordinator.handleLeave(request, version: version, token: token, context)
        }
    }

    /// OffsetCommit: rejected at once, or `.persistOffsets` now and `.respondCommit` from
    /// `offsetsPersisted`. `commitTimestampMs` is wall-clock time, stored with the offsets.
    public mutating func commitOffsets(
        _ request: OffsetCommitRequest, token: GroupRequestToken, nowMs: Int64, commitTimestampMs: Int64
    ) -> [GroupDirective] {
        event(token, nowMs: nowMs) { coordinator, context in
            coordinator.handleCommit(request, token: token, commitTimestampMs: commitTimestampMs, context)
        }
    }

    /// Reports the outcome of a `.persistOffsets`; returns that commit's `.respondCommit`.
    /// Failed writes answer NOT_COORDINATOR (as Kafka maps storage errors) and change nothing.
    public mutating func offsetsPersisted(token: GroupRequestToken, succeeded: Bool) -> [GroupDirective] {
        event(nil, nowMs: clockMs) { coordinator, _ in coordinator.completeCommit(token, succeeded: succeeded) }
    }

    /// Fires every group timer due by `nowMs`: session expiry, join waits, sync waits.
    public mutating func tick(nowMs: Int64) -> [GroupDirective] {
        event(nil, nowMs: nowMs) { coordinator, context in
            for groupId in coordinator.groups.keys.sorted() {
                coordinator.withGroup(groupId, context) { _, _ in }
            }
        }
    }

    // MARK: queries

    /// OffsetFetch: committed offsets, -1 / "" / no error for partitions without one.
    public func fetchOffsets(_ request: OffsetFetchRequest) -> OffsetFetchResponse {
        offsetFetchResponse(request)
    }

    /// When `tick` next has something to do, nil if nothing is scheduled.
    public var nextDeadlineMs: Int64? { groups.values.compactMap(\.nextDeadlineMs).min() }

    /// A snapshot of one group, nil if the coordinator has no record of it.
    public func describeGroup(_ groupId: String) -> GroupDescription? { groups[groupId]?.describe() }

    /// Ids of every group with a record (live members or committed offsets), sorted.
    public var groupIds: [String] { groups.keys.sorted() }

    /// Every committed offset, e.g. to compare with an `OffsetStore` after replay.
    public var committedOffsets: CommittedOffsets { offsets }

    // MARK: plumbing

    /// Runs one event: clamps time to never go backwards and checks the answer rule.
    private mutating func event(
        _ token: GroupRequestToken?, nowMs: Int64, _ body: (inout GroupCoordinator, GroupEventContext) -> Void
    ) -> [GroupDirective] {
        clockMs = max(clockMs, nowMs)
        outbox.begin(token)
        body(&self, GroupEventContext(nowMs: clockMs, config: config))
        return outbox.finish()
    }

    /// Brings a group's timers up to date, runs `body` on it and files it back, dropping the record
    /// when nothing (not even an offset) is left. Nil if the group has no record and `create` is false.
    @discardableResult
    mutating func withGroup<Result>(
        _ groupId: String, create: Bool = false, _ context: GroupEventContext,
        _ body: (inout ConsumerGroup, inout DirectiveOutbox) -> Result
    ) -> Result? {
        var group: ConsumerGroup
        if let existing = groups.removeValue(forKey: groupId) {
            group = existing
        } else if create {
            group = ConsumerGroup(groupId: groupId)
        } else {
            return nil
        }
        group.advance(context, &outbox)
        let result = body(&group, &outbox)
        if !group.isDisposable || offsets[groupId] != nil { groups[groupId] = group }
        return result
    }

    /// `clientId-UUID`, the shape Kafka gives member ids.
    mutating func makeMemberId(clientId: String) -> String {
        clientId + "-" + MemberIdFormat.uuid(random.next(), random.next())
    }
}
