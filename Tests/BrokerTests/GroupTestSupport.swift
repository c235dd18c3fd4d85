import Testing

@testable import Broker

/// SplitMix64: a tiny seeded generator so member ids and simulations replay exactly.
struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Plays the broker shell around a `GroupCoordinator` with a fake clock. It checks the answer
/// rule on its own books (every request it sent is answered once, nothing else is answered),
/// carries out `.persistOffsets` (succeeding unless told otherwise) and keeps every answer.
struct GroupHarness {
    var coordinator: GroupCoordinator
    var nowMs: Int64 = 0
    var autoPersist = true
    private var nextToken: UInt64 = 1
    private(set) var outstanding: Set<GroupRequestToken> = []
    private(set) var answers: [GroupRequestToken: GroupDirective] = [:]
    private(set) var unpersisted: [GroupRequestToken: OffsetCommitBatch] = [:]
    private(set) var violations: [String] = []

    init(config: GroupCoordinatorConfig = GroupCoordinatorConfig(initialRebalanceDelayMs: 100), seed: UInt64 = 1) {
        coordinator = GroupCoordinator(config: config, random: SplitMix64(seed: seed))
    }

    // MARK: sending

    mutating func join(
        _ groupId: String = "g", memberId: String = "", clientId: String = "client", version: Int16 = 5,
        protocols: [(String, [UInt8])] = [("range", [1])], protocolType: String = "consumer",
        sessionTimeoutMs: Int32 = 10_000, rebalanceTimeoutMs: Int32 = 30_000
    ) -> GroupRequestToken {
        let request = JoinGroupRequest(
            groupId: groupId, sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeoutMs,
            memberId: memberId, protocolType: protocolType,
            protocols: protocols.map { JoinGroupRequest.GroupProtocol(name: $0.0, metadata: $0.1) })
        let token = issue()
        absorb(
            coordinator.join(
                request, version: version, clientId: clientId, clientHost: "/127.0.0.1", token: token, nowMs: nowMs))
        return token
    }

    mutating func sync(
        _ groupId: String = "g", memberId: String, generation: Int32, assignments: [String: [UInt8]] = [:]
    ) -> GroupRequestToken {
        let entries = assignments.keys.sorted().map {
            SyncGroupRequest.Assignment(memberId: $0, assignment: assignments[$0] ?? [])
        }
        let request = SyncGroupRequest(
            groupId: groupId, generationId: generation, memberId: memberId, assignments: entries)
        let token = issue()
        absorb(coordinator.sync(request, token: token, nowMs: nowMs))
        return token
    }

    mutating func heartbeat(_ groupId: String = "g", memberId: String, generation: Int32) -> KafkaErrorCode? {
        let token = issue()
        absorb(
            coordinator.heartbeat(
                HeartbeatRequest(groupId: groupId, generationId: generation, memberId: memberId), token: token,
                nowMs: nowMs))
        return heartbeatAnswer(token)?.errorCode
    }

    mutating func leave(_ groupId: String = "g", memberIds: [String], version: Int16 = 3) -> LeaveGroupResponse? {
        let request =
            version >= 3
            ? LeaveGroupRequest(groupId: groupId, members: memberIds.map { LeaveGroupRequest.Member(memberId: $0) })
            : LeaveGroupRequest(groupId: groupId, memberId: memberIds.first ?? "")
        let token = issue()
        absorb(coordinator.leave(request, version: version, token: token, nowMs: nowMs))
        return leaveAnswer(token)
    }

    mutating func commit(
        _ groupId: String = "g", memberId: String = "", generation: Int32 = -1,
        offsets: [(String, Int32, Int64)], metadata: String? = "m"
    ) -> GroupRequestToken {
        let byTopic = Dictionary(grouping: offsets, by: \.0)
        let request = OffsetCommitRequest(
            groupId: groupId, generationId: generation, memberId: memberId,
            topics: byTopic.keys.sorted().map { topic in
                OffsetCommitRequest.Topic(
                    name: topic,
                    partitions: (byTopic[topic] ?? []).map {
                        OffsetCommitRequest.Partition(
                            partitionIndex: $0.1, committedOffset: $0.2, committedLeaderEpoch: 0,
                            committedMetadata: metadata)
                    })
            })
        let token = issue()
        absorb(
            coordinator.commitOffsets(request, token: token, nowMs: nowMs, commitTimestampMs: 1_700_000_000_000 + nowMs)
        )
        return token
    }

    func fetch(_ topics: [String: [Int32]]?, groupId: String = "g") -> OffsetFetchResponse {
        let request = OffsetFetchRequest(
            groupId: groupId,
            topics: topics.map { topics in
                topics.keys.sorted().map { OffsetFetchRequest.Topic(name: $0, partitionIndexes: topics[$0] ?? []) }
            })
        return coordinator.fetchOffsets(request)
    }

    /// Moves the clock forward and ticks.
    mutating func advance(byMs: Int64) {
        nowMs += byMs
        absorb(coordinator.tick(nowMs: nowMs))
    }

    /// Reports a held `.persistOffsets` as written (or failed).
    mutating func persist(_ token: GroupRequestToken, succeeded: Bool = true) {
        guard unpersisted.removeValue(forKey: token) != nil else {
            violations.append("persist of \(token), which has no pending batch")
            return
        }
        absorb(coordinator.offsetsPersisted(token: token, succeeded: succeeded))
    }

    // MARK: answers

    func joinAnswer(_ token: GroupRequestToken) -> JoinGroupResponse? {
        if case .respondJoin(_, let response) = answers[token] { return response }
        return nil
    }

    func syncAnswer(_ token: GroupRequestToken) -> SyncGroupResponse? {
        if case .respondSync(_, let response) = answers[token] { return response }
        return nil
    }

    func heartbeatAnswer(_ token: GroupRequestToken) -> HeartbeatResponse? {
        if case .respondHeartbeat(_, let response) = answers[token] { return response }
        return nil
    }

    func leaveAnswer(_ token: GroupRequestToken) -> LeaveGroupResponse? {
        if case .respondLeave(_, let response) = answers[token] { return response }
        return nil
    }

    func commitAnswer(_ token: GroupRequestToken) -> OffsetCommitResponse? {
        if case .respondCommit(_, let response) = answers[token] { return response }
        return nil
    }

    /// Every partition error code of a commit answer, in request order.
    func commitCodes(_ token: GroupRequestToken) -> [KafkaErrorCode]? {
        commitAnswer(token).map { $0.topics.flatMap { $0.partitions.map(\.errorCode) } }
    }

    func isAnswered(_ token: GroupRequestToken) -> Bool { answers[token] != nil }

    var state: GroupState? { coordinator.describeGroup("g")?.state }

    // MARK: bookkeeping

    private mutating func issue() -> GroupRequestToken {
        defer { nextToken += 1 }
        let token = GroupRequestToken(nextToken)
        outstanding.insert(token)
        return token
    }

    private mutating func absorb(_ directives: [GroupDirective]) {
        for directive in directives {
            if case .persistOffsets(let token, let batch) = directive {
                if unpersisted[token] != nil || !outstanding.contains(token) {
                    violations.append("unexpected persist for \(token)")
                }
                unpersisted[token] = batch
                continue
            }
            guard let token = directive.answeredToken else { continue }
            if outstanding.remove(token) == nil { violations.append("\(token) answered twice or never sent") }
            answers[token] = directive
        }
        violations += coordinator.invariantViolations()
        if autoPersist {
            for token in unpersisted.keys.sorted(by: { $0.rawValue < $1.rawValue }) { persist(token) }
        }
    }

    /// The end-of-test check: nothing left unanswered, nothing held, no invariant broken.
    func expectClean(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(violations == [], comment, sourceLocation: sourceLocation)
        #expect(outstanding.isEmpty, "unanswered: \(outstanding)", sourceLocation: sourceLocation)
        #expect(unpersisted.isEmpty, "unpersisted commits", sourceLocation: sourceLocation)
        #expect(coordinator.heldTokenCount == 0, sourceLocation: sourceLocation)
        #expect(coordinator.invariantViolations() == [], sourceLocation: sourceLocation)
    }

    /// Lets every session run out, then checks that no group record outlived its members
    /// (records with committed offsets stay, as in Kafka).
    mutating func expireEverythingAndExpectClean(sourceLocation: SourceLocation = #_sourceLocation) {
        advance(byMs: 10_000_000)
        expectClean(sourceLocation: sourceLocation)
        for groupId in coordinator.groupIds {
            let group = coordinator.describeGroup(groupId)
            #expect(group?.state == .empty && group?.members == [], sourceLocation: sourceLocation)
            #expect(coordinator.committedOffsets[groupId] != nil, "\(groupId) kept without offsets")
        }
    }
}

/// A member as a test drives it: its id and current generation.
struct TestMember: Equatable {
    var id: String
    var generation: Int32 = -1
}

extension GroupHarness {
    /// Does the MEMBER_ID_REQUIRED round trip and sends the real join; returns the member id
    /// and the (usually held) second join's token.
    mutating func joinNew(
        _ groupId: String = "g", clientId: String = "client", protocols: [(String, [UInt8])] = [("range", [1])],
        sessionTimeoutMs: Int32 = 10_000, rebalanceTimeoutMs: Int32 = 30_000
    ) -> (memberId: String, token: GroupRequestToken) {
        let first = join(groupId, clientId: clientId, protocols: protocols, sessionTimeoutMs: sessionTimeoutMs)
        let answer = joinAnswer(first)
        #expect(answer?.errorCode == .memberIdRequired)
        let memberId = answer?.memberId ?? ""
        let second = join(
            groupId, memberId: memberId, clientId: clientId, protocols: protocols, sessionTimeoutMs: sessionTimeoutMs,
            rebalanceTimeoutMs: rebalanceTimeoutMs)
        return (memberId, second)
    }

    /// Builds a Stable group "g" of `count` members (first is leader) at generation 1, assigning
    /// each member its index as one byte. All join within the initial rebalance delay.
    mutating func stableGroup(count: Int) -> [TestMember] {
        var joins: [(String, GroupRequestToken)] = []
        for index in 0..<count {
            let (id, token) = joinNew(clientId: "c\(index)")
            joins.append((id, token))
        }
        advance(byMs: 1000)
        var members: [TestMember] = []
        for (id, token) in joins {
            #expect(joinAnswer(token)?.errorCode == .noError)
            members.append(TestMember(id: id, generation: joinAnswer(token)?.generationId ?? -1))
        }
        syncAll(members)
        #expect(state == .stable)
        return members
    }

    /// Followers sync first (and wait), then the leader sends one-byte assignments.
    mutating func syncAll(_ members: [TestMember], leader: String? = nil) {
        let leaderId = leader ?? coordinator.describeGroup("g")?.leaderId ?? ""
        var assignments: [String: [UInt8]] = [:]
        for (index, member) in members.enumerated() { assignments[member.id] = [UInt8(index)] }
        var tokens: [GroupRequestToken] = []
        for member in members where member.id != leaderId {
            tokens.append(sync(memberId: member.id, generation: member.generation))
        }
        if let leader = members.first(where: { $0.id == leaderId }) {
            tokens.append(sync(memberId: leader.id, generation: leader.generation, assignments: assignments))
        }
        for token in tokens { #expect(syncAnswer(token)?.errorCode == .noError) }
    }
}
