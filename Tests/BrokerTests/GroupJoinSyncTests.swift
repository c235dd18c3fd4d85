import Testing

@testable import Broker

/// The JoinGroup/SyncGroup flow of KAFKA-PROTOCOL.md §5, step by step.
@Suite struct GroupJoinSyncTests {
    /// Two v5 clients: MEMBER_ID_REQUIRED, the initial rebalance delay, leader-only member list,
    /// followers waiting for the leader's SyncGroup, each member getting its own assignment.
    @Test func twoMembersWithMemberIdRequired() {
        var h = GroupHarness(config: GroupCoordinatorConfig(initialRebalanceDelayMs: 3000))
        let firstA = h.join(clientId: "consumer-a", protocols: [("range", [0xA])])
        let answerA = h.joinAnswer(firstA)
        #expect(answerA?.errorCode == .memberIdRequired && answerA?.generationId == -1)
        let memberA = answerA?.memberId ?? ""
        #expect(memberA.hasPrefix("consumer-a-") && isUUID(String(memberA.dropFirst("consumer-a-".count))))

        let joinA = h.join(memberId: memberA, clientId: "consumer-a", protocols: [("range", [0xA])])
        #expect(!h.isAnswered(joinA) && h.state == .preparingRebalance)
        h.advance(byMs: 1000)
        let (memberB, joinB) = h.joinNew(clientId: "consumer-b", protocols: [("range", [0xB])])
        #expect(memberB != memberA && memberB.hasPrefix("consumer-b-"))

        h.advance(byMs: 2000)
        #expect(!h.isAnswered(joinA) && !h.isAnswered(joinB), "b arrived during the delay, which buys another 3000 ms")
        h.advance(byMs: 2999)
        #expect(!h.isAnswered(joinA))
        h.advance(byMs: 1)
        let leaderView = h.joinAnswer(joinA)
        let followerView = h.joinAnswer(joinB)
        #expect(leaderView?.errorCode == .noError && leaderView?.generationId == 1)
        #expect(leaderView?.protocolName == "range" && leaderView?.leader == memberA && leaderView?.memberId == memberA)
        #expect(
            leaderView?.members == [
                .init(memberId: memberA, metadata: [0xA]), .init(memberId: memberB, metadata: [0xB]),
            ])
        #expect(followerView?.generationId == 1 && followerView?.leader == memberA && followerView?.members == [])
        #expect(h.state == .completingRebalance)
        #expect(h.heartbeat(memberId: memberB, generation: 1) == .noError)

        let syncB = h.sync(memberId: memberB, generation: 1)
        #expect(!h.isAnswered(syncB), "a follower waits for the leader")
        let syncA = h.sync(memberId: memberA, generation: 1, assignments: [memberA: [1, 1], memberB: [2, 2]])
        #expect(h.syncAnswer(syncA) == SyncGroupResponse(assignment: [1, 1]))
        #expect(h.syncAnswer(syncB) == SyncGroupResponse(assignment: [2, 2]))
        #expect(h.state == .stable)
        #expect(h.heartbeat(memberId: memberA, generation: 1) == .noError)
        let again = h.sync(memberId: memberB, generation: 1)
        #expect(h.syncAnswer(again) == SyncGroupResponse(assignment: [2, 2]), "Stable returns the stored assignment")

        #expect(h.leave(memberIds: [memberA, memberB])?.members.map(\.errorCode) == [.noError, .noError])
        #expect(h.coordinator.groupIds == [], "an empty group without offsets leaves no record")
        h.expectClean()
    }

    /// A third member triggers a rebalance: heartbeats and SyncGroups get 27, commits still
    /// land, everyone rejoins and the leader assigns generation 2.
    @Test func thirdMemberRebalancesTheGroup() {
        var h = GroupHarness()
        let members = h.stableGroup(count: 2)
        let (memberC, joinC) = h.joinNew(clientId: "c2")
        #expect(!h.isAnswered(joinC) && h.state == .preparingRebalance)
        #expect(h.heartbeat(memberId: members[0].id, generation: 1) == .rebalanceInProgress)
        #expect(h.heartbeat(memberId: members[1].id, generation: 1) == .rebalanceInProgress)
        let staleSync = h.sync(memberId: members[1].id, generation: 1)
        #expect(h.syncAnswer(staleSync)?.errorCode == .rebalanceInProgress)
        let commit = h.commit(memberId: members[1].id, generation: 1, offsets: [("t", 0, 42)])
        #expect(h.commitCodes(commit) == [.noError], "commit-before-rejoin is accepted")

        let rejoinA = h.join(memberId: members[0].id, clientId: "c0")
        #expect(!h.isAnswered(rejoinA))
        let rejoinB = h.join(memberId: members[1].id, clientId: "c1")
        for token in [rejoinA, rejoinB, joinC] { #expect(h.joinAnswer(token)?.generationId == 2) }
        #expect(h.joinAnswer(rejoinA)?.members.map(\.memberId) == [members[0].id, members[1].id, memberC])
        #expect(h.joinAnswer(rejoinB)?.members == [] && h.joinAnswer(joinC)?.members == [])
        #expect(h.joinAnswer(joinC)?.leader == members[0].id)

        let generation2 = [members[0].id, members[1].id, memberC].map { TestMember(id: $0, generation: 2) }
        h.syncAll(generation2)
        #expect(h.state == .stable && h.coordinator.describeGroup("g")?.members.map(\.assignment) == [[0], [1], [2]])
        #expect(h.fetch(["t": [0]]).topics.first?.partitions.first?.committedOffset == 42)
        h.expireEverythingAndExpectClean()
    }

    /// LeaveGroup v3 removes the member; the rest must rejoin for generation 2.
    @Test func memberLeavingRebalancesTheRest() {
        var h = GroupHarness()
        let members = h.stableGroup(count: 3)
        let response = h.leave(memberIds: [members[1].id, "nobody"])
        #expect(response?.errorCode == .noError)
        #expect(response?.members.map(\.errorCode) == [.noError, .unknownMemberId])
        #expect(h.state == .preparingRebalance)
        #expect(h.heartbeat(memberId: members[1].id, generation: 1) == .unknownMemberId)
        #expect(h.heartbeat(memberId: members[2].id, generation: 1) == .rebalanceInProgress)
        let rejoins = [members[0], members[2]].map { h.join(memberId: $0.id) }
        #expect(rejoins.map { h.joinAnswer($0)?.generationId } == [2, 2])
        #expect(h.joinAnswer(rejoins[0])?.members.map(\.memberId) == [members[0].id, members[2].id])
        h.expireEverythingAndExpectClean()
    }

    /// When the leader leaves, the next member in join order leads the next generation.
    @Test func leaderLeavingHandsLeadershipOn() {
        var h = GroupHarness()
        let members = h.stableGroup(count: 3)
        #expect(h.leave(memberIds: [members[0].id], version: 1)?.errorCode == .noError)
        let rejoins = [members[2], members[1]].map { h.join(memberId: $0.id) }
        #expect(rejoins.map { h.joinAnswer($0)?.leader } == [members[1].id, members[1].id])
        #expect(h.joinAnswer(rejoins[1])?.members.map(\.memberId) == [members[1].id, members[2].id])
        h.expireEverythingAndExpectClean()
    }

    /// JoinGroup v0–3 has no MEMBER_ID_REQUIRED round trip: the id comes with the real answer.
    @Test func joinBeforeV4GetsItsIdWithTheGeneration() {
        var h = GroupHarness(config: GroupCoordinatorConfig(initialRebalanceDelayMs: 0))
        let token = h.join(clientId: "old", version: 3)
        let answer = h.joinAnswer(token)
        #expect(answer?.errorCode == .noError && answer?.generationId == 1)
        #expect(answer?.memberId.hasPrefix("old-") == true && answer?.leader == answer?.memberId)
        h.expireEverythingAndExpectClean()
    }

    /// In Stable, an unchanged follower gets the current generation back without a rebalance;
    /// the leader, or a follower with new metadata, starts one.
    @Test func stableRejoinRules() {
        var h = GroupHarness()
        let members = h.stableGroup(count: 2)
        let follower = h.join(memberId: members[1].id)
        #expect(h.joinAnswer(follower)?.generationId == 1 && h.joinAnswer(follower)?.members == [])
        #expect(h.state == .stable)

        let changed = h.join(memberId: members[1].id, protocols: [("range", [9])])
        #expect(!h.isAnswered(changed) && h.state == .preparingRebalance)
        let leader = h.join(memberId: members[0].id)
        #expect(h.joinAnswer(leader)?.generationId == 2 && h.joinAnswer(changed)?.generationId == 2)
        #expect(h.joinAnswer(leader)?.members.map(\.metadata) == [[1], [9]])
        h.syncAll(members.map { TestMember(id: $0.id, generation: 2) })

        let leaderAgain = h.join(memberId: members[0].id)
        #expect(!h.isAnswered(leaderAgain) && h.state == .preparingRebalance, "a leader rejoin forces a rebalance")
        _ = h.join(memberId: members[1].id)
        #expect(h.joinAnswer(leaderAgain)?.generationId == 3)
        h.expireEverythingAndExpectClean()
    }

    /// A second JoinGroup from the same member replaces the held one, which is answered 27.
    @Test func repeatedJoinSupersedesTheHeldOne() {
        var h = GroupHarness()
        let members = h.stableGroup(count: 2)
        let first = h.join(memberId: members[0].id)
        let second = h.join(memberId: members[0].id)
        #expect(h.joinAnswer(first)?.errorCode == .rebalanceInProgress)
        #expect(!h.isAnswered(second))
        _ = h.join(memberId: members[1].id)
        #expect(h.joinAnswer(second)?.generationId == 2)
        h.expireEverythingAndExpectClean()
    }

    /// Same metadata during CompletingRebalance repeats the answer (the client lost it), member
    /// list included for the leader; changed metadata rebalances instead.
    @Test func completingRebalanceRepeatsTheJoinAnswer() {
        var h = GroupHarness(config: GroupCoordinatorConfig(initialRebalanceDelayMs: 0))
        let (a, joinA) = h.joinNew(clientId: "a")
        #expect(h.joinAnswer(joinA)?.generationId == 1 && h.state == .completingRebalance)
        let repeated = h.join(memberId: a)
        #expect(h.joinAnswer(repeated) == h.joinAnswer(joinA) && h.state == .completingRebalance)
        #expect(h.joinAnswer(repeated)?.members.map(\.memberId) == [a])
        let changed = h.join(memberId: a, protocols: [("range", [7])])
        #expect(h.joinAnswer(changed)?.generationId == 2 && h.joinAnswer(changed)?.members.first?.metadata == [7])
        h.expireEverythingAndExpectClean()
    }

    private func isUUID(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
        let hex = text.allSatisfy { $0 == "-" || $0.isHexDigit && !$0.isUppercase }
        let version = text.dropFirst(14).first
        return parts == [8, 4, 4, 4, 12] && hex && version == "4"
    }
}
