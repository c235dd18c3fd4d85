import Testing

@testable import Broker

/// How the simulation reads the coordinator's directives: it checks each answer against its own
/// books, moves the owning client on, and after every event checks the global invariants.
extension GroupSimulation {
    /// Names one lifetime of a group record, so generation 1 of a re-created group is a new key.
    func lifeKey(_ groupId: String) -> String { "\(groupId)#\(lifetimes[groupId, default: 0])" }

    mutating func fail(_ message: String, _ context: String) {
        failures.append("seed \(seed), t=\(nowMs)ms, \(context): \(message)")
    }

    mutating func absorb(_ directives: [GroupDirective], during context: String) {
        for directive in directives {
            for byte in String(describing: directive).utf8 { trace = (trace ^ UInt64(byte)) &* 0x100_0000_01B3 }
            recordLeadership(directive, context)
        }
        for directive in directives {
            if case .persistOffsets(let token, let batch) = directive {
                issues += 1
                if owners[token]?.kind != .commit { fail("persist for a non-commit \(token)", context) }
                persistQueue.append((token, batch, issues))
                continue
            }
            guard let token = directive.answeredToken else { continue }
            guard let sent = owners.removeValue(forKey: token), answered.insert(token).inserted else {
                fail("\(token) answered twice or never sent", context)
                continue
            }
            check(directive, sent, context)
            let index = sent.client
            guard clients[index].inFlight == token, clients[index].phase != .crashed, clients[index].phase != .gone
            else { continue }
            clients[index].inFlight = nil
            apply(directive, to: index, context)
        }
        checkInvariants(context)
    }

    /// Leader answers and applied leader syncs first, so followers answered in the same event check out.
    private mutating func recordLeadership(_ directive: GroupDirective, _ context: String) {
        switch directive {
        case .respondJoin(let token, let response) where response.errorCode == .noError:
            guard let groupId = owners[token]?.groupId, response.memberId == response.leader else { return }
            let key = "\(lifeKey(groupId))/\(response.generationId)"
            if let known = leaders[key], known != response.leader { fail("two leaders for \(key)", context) }
            leaders[key] = response.leader
            let members = Set(response.members.map(\.memberId))
            if let known = generationMembers[key], known != members { fail("member list changed in \(key)", context) }
            generationMembers[key] = members
        case .respondSync(let token, let response) where response.errorCode == .noError:
            guard let map = leaderSyncs[token], let sent = owners[token] else { return }
            let key = "\(lifeKey(sent.groupId))/\(sent.generation)"
            guard appliedGenerations.insert(key).inserted else { return }
            for member in generationMembers[key] ?? [] {
                assignmentsByGeneration["\(key)/\(member)"] = map[member] ?? []
            }
        default:
            return
        }
    }

    /// Checks one answer against the books, whoever asked.
    private mutating func check(_ directive: GroupDirective, _ sent: SimSent, _ context: String) {
        switch directive {
        case .respondJoin(_, let response):
            guard response.errorCode == .noError else {
                if ![.memberIdRequired, .unknownMemberId, .rebalanceInProgress].contains(response.errorCode) {
                    fail("join answered \(response.errorCode)", context)
                }
                return
            }
            let key = "\(lifeKey(sent.groupId))/\(response.generationId)"
            if leaders[key] != response.leader { fail("join for \(key) names leader \(response.leader)", context) }
            if response.members.isEmpty == (response.memberId == response.leader) {
                fail("members[] misplaced", context)
            }
            if generationMembers[key]?.contains(response.memberId) != true { fail("not in the leader's list", context) }
        case .respondSync(_, let response) where response.errorCode == .noError:
            let key = "\(lifeKey(sent.groupId))/\(sent.generation)"
            guard appliedGenerations.contains(key) else { return fail("sync succeeded before the leader's", context) }
            if response.assignment != assignmentsByGeneration["\(key)/\(sent.memberId)"] {
                fail("\(sent.memberId) got someone else's assignment", context)
            }
        case .respondSync(_, let response):
            if ![.rebalanceInProgress, .illegalGeneration, .unknownMemberId].contains(response.errorCode) {
                fail("sync answered \(response.errorCode)", context)
            }
        case .respondHeartbeat(_, let response):
            if ![.noError, .rebalanceInProgress, .illegalGeneration, .unknownMemberId].contains(response.errorCode) {
                fail("heartbeat answered \(response.errorCode)", context)
            }
        case .respondCommit(_, let response):
            let allowed: [KafkaErrorCode] = [
                .noError, .rebalanceInProgress, .illegalGeneration, .unknownMemberId, .notCoordinator,
            ]
            if !response.topics.flatMap(\.partitions).allSatisfy({ allowed.contains($0.errorCode) }) {
                fail("commit answered \(response)", context)
            }
        case .respondLeave(_, let response):
            let codes = [response.errorCode] + response.members.map(\.errorCode)
            if !codes.allSatisfy({ $0 == .noError || $0 == .unknownMemberId }) {
                fail("leave answered \(response)", context)
            }
        case .persistOffsets:
            return
        }
    }
}

extension GroupSimulation {
    /// Moves a live client on after the answer to its current request, as a Kafka client would.
    private mutating func apply(_ directive: GroupDirective, to index: Int, _ context: String) {
        var client = clients[index]
        defer { clients[index] = client }
        func rejoin(resetMember: Bool) {
            client.phase = .joining
            client.leaderMembers = nil
            if resetMember { client.memberId = "" }
        }
        switch directive {
        case .respondJoin(_, let response):
            switch response.errorCode {
            case .noError:
                client.memberId = response.memberId
                client.generation = response.generationId
                client.leaderMembers = response.leader == response.memberId ? response.members.map(\.memberId) : nil
                client.phase = .syncing
                if client.leaderMembers != nil { stats.rebalances += 1 }
            case .memberIdRequired: client.memberId = response.memberId
            default: rejoin(resetMember: response.errorCode == .unknownMemberId)
            }
        case .respondSync(_, let response):
            if response.errorCode == .noError {
                client.phase = .stable
                stats.successfulSyncs += 1
            } else {
                rejoin(resetMember: response.errorCode == .unknownMemberId)
            }
        case .respondHeartbeat(_, let response):
            if response.errorCode.isError { rejoin(resetMember: response.errorCode == .unknownMemberId) }
        case .respondCommit(_, let response):
            let codes = response.topics.flatMap(\.partitions).map(\.errorCode)
            if codes.contains(.noError) { stats.commits += 1 }
            if let code = codes.first(where: { $0.isError && $0 != .notCoordinator }) {
                rejoin(resetMember: code == .unknownMemberId)
            }
        case .respondLeave:
            client.phase = .gone
        case .persistOffsets:
            break
        }
    }

    /// The global invariants, checked after every event.
    mutating func checkInvariants(_ context: String) {
        for problem in coordinator.invariantViolations() { fail(problem, context) }
        for groupId in ["alpha", "beta"] {
            guard let group = coordinator.describeGroup(groupId) else {
                // The record went away with its last member; a new one restarts at generation 1.
                lastGeneration[groupId] = nil
                lifetimes[groupId, default: 0] += 1
                continue
            }
            if let last = lastGeneration[groupId], group.generationId < last {
                fail("\(groupId) generation went from \(last) to \(group.generationId)", context)
            }
            lastGeneration[groupId] = group.generationId
            if !group.members.isEmpty && !group.members.contains(where: { $0.memberId == group.leaderId }) {
                fail("\(groupId) leader \(group.leaderId) is not a member", context)
            }
            guard group.state == .stable else { continue }
            let key = "\(lifeKey(groupId))/\(group.generationId)"
            if !appliedGenerations.contains(key) { fail("\(key) is Stable without a leader sync", context) }
            for member in group.members where member.assignment != assignmentsByGeneration["\(key)/\(member.memberId)"]
            {
                fail("Stable \(key): \(member.memberId) holds a stale assignment", context)
            }
        }
    }

    /// Stops every client, lets all sessions run out and checks that nothing was left behind.
    mutating func finish() {
        guard failures.isEmpty else { return }
        for index in clients.indices { clients[index].phase = .crashed }
        while !persistQueue.isEmpty { completeOnePersist(-1) }
        nowMs += 10_000_000
        absorb(coordinator.tick(nowMs: nowMs), during: "final tick")
        if !owners.isEmpty { fail("never answered: \(owners.keys.sorted { $0.rawValue < $1.rawValue })", "finish") }
        if coordinator.heldTokenCount != 0 { fail("coordinator still holds requests", "finish") }
        for groupId in coordinator.groupIds {
            let group = coordinator.describeGroup(groupId)
            if group?.state != .empty || group?.members != [] { fail("\(groupId) is still populated", "finish") }
        }
        for (groupId, expected) in expectedOffsets {
            let fetched = coordinator.fetchOffsets(OffsetFetchRequest(groupId: groupId, topics: nil))
            let actual = fetched.topics.flatMap { topic in
                topic.partitions.map {
                    (TopicPartition(topic: topic.name, partition: $0.partitionIndex), $0.committedOffset)
                }
            }
            if Dictionary(uniqueKeysWithValues: actual) != expected.mapValues(\.offset) {
                fail("\(groupId) offsets \(actual) != expected", "finish")
            }
        }
    }
}
