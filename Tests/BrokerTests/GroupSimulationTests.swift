import Testing

@testable import Broker

/// Seeded simulations: clients join, sync, heartbeat, commit, leave, crash and retry while time
/// moves on. After every event the answer rule, leadership, generations and assignments are
/// checked against the simulation's own books; a failure names the seed that replays it.
@Suite(.dedicatedThread) struct GroupSimulationTests {
    @Test(arguments: 0..<24)
    func randomGroupLife(seed: UInt64) {
        var simulation = GroupSimulation(seed: seed)
        simulation.run(steps: 2500)
        #expect(simulation.failures == [], "replay with seed \(seed)")
        #expect(simulation.stats.successfulSyncs > 10, "seed \(seed) never reached a stable group")
    }

    /// A seed replays exactly: same answers in the same order.
    @Test func sameSeedSameTrace() {
        var first = GroupSimulation(seed: 99)
        var second = GroupSimulation(seed: 99)
        first.run(steps: 800)
        second.run(steps: 800)
        #expect(first.failures == [] && first.trace == second.trace && first.stats == second.stats)
        #expect(first.trace != GroupSimulation.fnvOffset)
    }
}

/// One simulated consumer process.
struct SimClient {
    enum Phase: Equatable { case joining, syncing, stable, crashed, gone }
    enum Kind: Equatable { case join, sync, heartbeat, commit, leave }

    let clientId: String
    let groupId: String
    let protocols: [JoinGroupRequest.GroupProtocol]
    let sessionTimeoutMs: Int32
    let rebalanceTimeoutMs: Int32
    var phase = Phase.joining
    var memberId = ""
    var generation: Int32 = -1
    var leaderMembers: [String]?
    var inFlight: GroupRequestToken?
    var nextOffset: Int64 = 0
}

/// What the simulation remembers about a request it sent.
struct SimSent {
    let client: Int
    let kind: SimClient.Kind
    let groupId: String
    let generation: Int32
    let memberId: String
}

/// Counters that show the simulation exercised what it should.
struct SimStats: Equatable {
    var successfulSyncs = 0
    var rebalances = 0
    var commits = 0
}

struct GroupSimulation {
    let seed: UInt64
    var rng: SplitMix64
    var coordinator: GroupCoordinator
    var clients: [SimClient] = []
    var nowMs: Int64 = 0
    var failures: [String] = []
    var stats = SimStats()
    var nextToken: UInt64 = 1
    var owners: [GroupRequestToken: SimSent] = [:]
    var answered: Set<GroupRequestToken> = []
    var persistQueue: [(token: GroupRequestToken, batch: OffsetCommitBatch, issue: Int)] = []
    var commitIssue: [GroupRequestToken: Int] = [:]
    var expectedOffsets: [String: [TopicPartition: (issue: Int, offset: Int64)]] = [:]
    var leaderSyncs: [GroupRequestToken: [String: [UInt8]]] = [:]
    var assignmentsByGeneration: [String: [UInt8]] = [:]  // "group/gen/member"
    var appliedGenerations: Set<String> = []  // "group/gen" whose leader sync was applied
    var leaders: [String: String] = [:]  // "group/gen" -> leader
    var generationMembers: [String: Set<String>] = [:]  // "group/gen" -> leader's member list
    var lastGeneration: [String: Int32] = [:]
    var lifetimes: [String: Int] = [:]
    /// FNV-1a over every directive's text, to compare runs.
    var trace = GroupSimulation.fnvOffset
    static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    var issues = 0

    init(seed: UInt64) {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        let delays: [Int64] = [0, 300, 3000]
        let config = GroupCoordinatorConfig(
            initialRebalanceDelayMs: delays[Int(seed % 3)], newMemberJoinTimeoutMs: 25_000, groupMembersMax: 50)
        coordinator = GroupCoordinator(config: config, random: SplitMix64(seed: seed ^ 0xA5A5))
        for index in 0..<10 { clients.append(newClient(index)) }
    }

    private mutating func newClient(_ index: Int) -> SimClient {
        let names = ["range", "roundrobin"]
        let first = Int(rng.next() % 2)
        return SimClient(
            clientId: "c\(index)", groupId: index % 3 == 2 ? "beta" : "alpha",
            protocols: [names[first], names[1 - first]].map { .init(name: $0, metadata: [UInt8(index)]) },
            sessionTimeoutMs: Int32(6000 + rng.next() % 6000), rebalanceTimeoutMs: Int32(8000 + rng.next() % 12_000))
    }

    private mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    // MARK: driving

    mutating func run(steps: Int) {
        for step in 0..<steps where failures.isEmpty {
            let roll = rng.next() % 100
            if roll < 25 {
                nowMs += Int64(rng.next() % 1500)
                absorb(coordinator.tick(nowMs: nowMs), during: "tick at step \(step)")
            } else if roll < 32, !persistQueue.isEmpty {
                completeOnePersist(step)
            } else {
                act(Int(rng.next() % UInt64(clients.count)), step: step)
            }
        }
        finish()
    }

    private mutating func act(_ index: Int, step: Int) {
        let client = clients[index]
        switch client.phase {
        case .crashed, .gone:
            if chance(3) { clients[index] = newClient(index) }
        case _ where client.inFlight != nil:
            // A retry from a fresh connection: the old request is abandoned, not cancelled.
            if chance(2) && (client.phase == .joining || client.phase == .syncing) {
                clients[index].inFlight = nil
                act(index, step: step)
            }
        case .joining:
            send(index, .join, step)
        case .syncing:
            send(index, .sync, step)
        case .stable:
            let roll = rng.next() % 100
            let kind: SimClient.Kind = roll < 70 ? .heartbeat : roll < 88 ? .commit : roll < 91 ? .leave : .join
            if roll >= 97 {
                clients[index].phase = .crashed
            } else {
                send(index, kind, step)
            }
        }
    }

    private mutating func send(_ index: Int, _ kind: SimClient.Kind, _ step: Int) {
        let token = GroupRequestToken(nextToken)
        nextToken += 1
        let client = clients[index]
        owners[token] = SimSent(
            client: index, kind: kind, groupId: client.groupId, generation: client.generation, memberId: client.memberId
        )
        clients[index].inFlight = token
        let directives: [GroupDirective]
        switch kind {
        case .join:
            let request = JoinGroupRequest(
                groupId: client.groupId, sessionTimeoutMs: client.sessionTimeoutMs,
                rebalanceTimeoutMs: client.rebalanceTimeoutMs, memberId: client.memberId, protocolType: "consumer",
                protocols: client.protocols)
            directives = coordinator.join(
                request, version: chance(10) ? 3 : 5, clientId: client.clientId, clientHost: "/10.0.0.\(index)",
                token: token, nowMs: nowMs)
        case .sync:
            directives = coordinator.sync(syncRequest(index, token), token: token, nowMs: nowMs)
        case .heartbeat:
            let generation = chance(3) ? client.generation - 1 : client.generation
            let request = HeartbeatRequest(groupId: client.groupId, generationId: generation, memberId: client.memberId)
            directives = coordinator.heartbeat(request, token: token, nowMs: nowMs)
        case .commit:
            directives = coordinator.commitOffsets(
                commitRequest(index), token: token, nowMs: nowMs, commitTimestampMs: nowMs)
        case .leave:
            let version: Int16 = chance(50) ? 1 : 3
            let request =
                version >= 3
                ? LeaveGroupRequest(groupId: client.groupId, members: [.init(memberId: client.memberId)])
                : LeaveGroupRequest(groupId: client.groupId, memberId: client.memberId)
            directives = coordinator.leave(request, version: version, token: token, nowMs: nowMs)
        }
        absorb(directives, during: "\(kind) from \(client.clientId) at step \(step)")
    }

    private mutating func syncRequest(_ index: Int, _ token: GroupRequestToken) -> SyncGroupRequest {
        let client = clients[index]
        var assignments: [SyncGroupRequest.Assignment] = []
        if let members = client.leaderMembers {
            var map: [String: [UInt8]] = [:]
            // The leader sometimes leaves a member out; the coordinator must then send it empty bytes.
            for member in members where !chance(5) {
                map[member] = Array("\(client.generation):\(member)".utf8)
                assignments.append(.init(memberId: member, assignment: map[member] ?? []))
            }
            leaderSyncs[token] = map
        }
        return SyncGroupRequest(
            groupId: client.groupId, generationId: client.generation, memberId: client.memberId,
            assignments: assignments)
    }

    private mutating func commitRequest(_ index: Int) -> OffsetCommitRequest {
        clients[index].nextOffset += Int64(1 + rng.next() % 50)
        let client = clients[index]
        let partition = OffsetCommitRequest.Partition(
            partitionIndex: Int32(index % 4), committedOffset: client.nextOffset, committedMetadata: nil)
        return OffsetCommitRequest(
            groupId: client.groupId, generationId: client.generation, memberId: client.memberId,
            topics: [.init(name: "t", partitions: [partition])])
    }

    mutating func completeOnePersist(_ step: Int) {
        let pick = Int(rng.next() % UInt64(persistQueue.count))
        let entry = persistQueue.remove(at: pick)
        let succeeded = !chance(5)
        if succeeded {
            for item in entry.batch.entries {
                let current = expectedOffsets[entry.batch.groupId]?[item.topicPartition]
                if current.map({ $0.issue < entry.issue }) ?? true {
                    expectedOffsets[entry.batch.groupId, default: [:]][item.topicPartition] = (
                        entry.issue, item.value.offset
                    )
                }
            }
        }
        absorb(
            coordinator.offsetsPersisted(token: entry.token, succeeded: succeeded), during: "persist at step \(step)")
    }
}
