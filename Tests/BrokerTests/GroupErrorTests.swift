import Testing

@testable import Broker

/// The error table of KAFKA-PROTOCOL.md §5, row by row, plus the request-level checks.
@Suite struct GroupErrorTests {
    @Test func heartbeatErrors() {
        var h = GroupHarness()
        #expect(h.heartbeat("", memberId: "x", generation: 1) == .invalidGroupId)
        #expect(h.heartbeat("nowhere", memberId: "x", generation: 1) == .unknownMemberId)
        let (a, joinA) = h.joinNew(clientId: "a")
        let (b, _) = h.joinNew(clientId: "b")
        #expect(h.heartbeat(memberId: a, generation: 1) == .illegalGeneration, "generation 1 does not exist yet")
        #expect(h.heartbeat(memberId: a, generation: 0) == .rebalanceInProgress)
        #expect(h.heartbeat(memberId: "stranger", generation: 0) == .unknownMemberId)
        h.advance(byMs: 1000)
        #expect(h.joinAnswer(joinA)?.generationId == 1 && h.state == .completingRebalance)
        #expect(h.heartbeat(memberId: b, generation: 1) == .noError, "CompletingRebalance heartbeats are fine")
        #expect(h.heartbeat(memberId: b, generation: 2) == .illegalGeneration)
        h.syncAll([TestMember(id: a, generation: 1), TestMember(id: b, generation: 1)])
        #expect(h.heartbeat(memberId: b, generation: 1) == .noError)
        _ = h.join(clientId: "c")
        #expect(h.heartbeat(memberId: b, generation: 1) == .noError, "a pending id alone starts no rebalance")
        h.expireEverythingAndExpectClean()
    }

    @Test func syncErrors() {
        var h = GroupHarness()
        let unknownGroup = h.sync("nowhere", memberId: "x", generation: 1)
        let noGroupId = h.sync("", memberId: "x", generation: 1)
        #expect(h.syncAnswer(unknownGroup)?.errorCode == .unknownMemberId)
        #expect(h.syncAnswer(noGroupId)?.errorCode == .invalidGroupId)
        let (a, _) = h.joinNew(clientId: "a")
        let early = h.sync(memberId: a, generation: 0)
        #expect(h.syncAnswer(early)?.errorCode == .rebalanceInProgress)
        let (b, _) = h.joinNew(clientId: "b")
        h.advance(byMs: 1000)
        let wrongGeneration = h.sync(memberId: b, generation: 7)
        let stranger = h.sync(memberId: "stranger", generation: 1)
        #expect(h.syncAnswer(wrongGeneration)?.errorCode == .illegalGeneration)
        #expect(h.syncAnswer(stranger)?.errorCode == .unknownMemberId)
        h.expireEverythingAndExpectClean()
    }

    /// Followers waiting for the leader are released with 27 when a rebalance starts.
    @Test func waitingSyncGetsRebalanceInProgress() {
        var h = GroupHarness()
        let (a, _) = h.joinNew(clientId: "a")
        let (b, _) = h.joinNew(clientId: "b")
        h.advance(byMs: 1000)
        let waiting = h.sync(memberId: b, generation: 1)
        #expect(!h.isAnswered(waiting))
        _ = h.joinNew(clientId: "c")
        #expect(h.syncAnswer(waiting) == SyncGroupResponse(errorCode: .rebalanceInProgress, assignment: []))
        let second = h.sync(memberId: b, generation: 1)
        #expect(h.syncAnswer(second)?.errorCode == .rebalanceInProgress)
        _ = a
        h.expireEverythingAndExpectClean()
    }

    /// A second SyncGroup from a waiting follower replaces the first, which gets 27.
    @Test func repeatedSyncSupersedesTheHeldOne() {
        var h = GroupHarness()
        let (a, _) = h.joinNew(clientId: "a")
        let (b, _) = h.joinNew(clientId: "b")
        h.advance(byMs: 1000)
        let first = h.sync(memberId: b, generation: 1)
        let second = h.sync(memberId: b, generation: 1)
        #expect(h.syncAnswer(first)?.errorCode == .rebalanceInProgress && !h.isAnswered(second))
        let leader = h.sync(memberId: a, generation: 1, assignments: [b: [5]])
        #expect(h.syncAnswer(second) == SyncGroupResponse(assignment: [5]))
        #expect(
            h.syncAnswer(leader) == SyncGroupResponse(assignment: []), "a member the leader skipped gets empty bytes")
        h.expireEverythingAndExpectClean()
    }

    @Test func commitErrorsByGroupState() {
        var h = GroupHarness()
        let stray = h.commit("fresh", memberId: "x", generation: -1, offsets: [("t", 0, 1)])
        let staleGeneration = h.commit("fresh", memberId: "x", generation: 3, offsets: [("t", 0, 1)])
        let simple = h.commit("fresh", offsets: [("t", 0, 1), ("t", 1, 2)])
        #expect(h.commitCodes(stray) == [.unknownMemberId])
        #expect(h.commitCodes(staleGeneration) == [.illegalGeneration])
        #expect(h.commitCodes(simple) == [.noError, .noError], "a group-less commit with generation -1")

        let (a, joinA) = h.joinNew(clientId: "a")
        let (b, _) = h.joinNew(clientId: "b")
        let outsider = h.commit(offsets: [("t", 0, 1)])
        #expect(h.commitCodes(outsider) == [.unknownMemberId], "a non-empty group takes commits from members only")
        let preparing = h.commit(memberId: a, generation: 0, offsets: [("t", 0, 5)])
        #expect(h.commitCodes(preparing) == [.noError], "accepted during PreparingRebalance")
        h.advance(byMs: 1000)
        #expect(h.joinAnswer(joinA)?.generationId == 1)
        let completing = h.commit(memberId: b, generation: 1, offsets: [("t", 0, 6)])
        #expect(h.commitCodes(completing) == [.rebalanceInProgress])
        let wrongGeneration = h.commit(memberId: b, generation: 0, offsets: [("t", 0, 6)])
        #expect(h.commitCodes(wrongGeneration) == [.illegalGeneration])
        let stranger = h.commit(memberId: "stranger", generation: 1, offsets: [("t", 0, 6)])
        #expect(h.commitCodes(stranger) == [.unknownMemberId])
        h.syncAll([TestMember(id: a, generation: 1), TestMember(id: b, generation: 1)])
        let stable = h.commit(memberId: b, generation: 1, offsets: [("t", 0, 7)])
        #expect(h.commitCodes(stable) == [.noError])

        #expect(h.leave(memberIds: [a, b])?.members.map(\.errorCode) == [.noError, .noError])
        #expect(h.state == .empty, "the record stays: the group has offsets")
        let member = h.commit(memberId: a, generation: 2, offsets: [("t", 0, 8)])
        #expect(h.commitCodes(member) == [.unknownMemberId], "Empty takes only generation -1 and no member id")
        let admin = h.commit(offsets: [("t", 0, 9)])
        #expect(h.commitCodes(admin) == [.noError])
        #expect(h.fetch(["t": [0]]).topics.first?.partitions.first?.committedOffset == 9)
        h.expireEverythingAndExpectClean()
    }

    @Test func oversizedMetadataFailsOnlyThatPartition() {
        var h = GroupHarness(config: GroupCoordinatorConfig(offsetMetadataBytesMax: 3))
        let ok = h.commit(offsets: [("t", 0, 1)], metadata: "abc")
        let big = h.commit(offsets: [("t", 0, 1)], metadata: "abcd")
        #expect(h.commitCodes(ok) == [.noError])
        #expect(h.commitCodes(big) == [.offsetMetadataTooLarge])
        h.expectClean()
    }

    @Test func joinErrors() {
        var h = GroupHarness(config: GroupCoordinatorConfig(initialRebalanceDelayMs: 100, groupMembersMax: 2))
        let noGroupId = h.join("")
        let unknownGroup = h.join("nowhere", memberId: "ghost")
        let shortSession = h.join(sessionTimeoutMs: 5999)
        let longSession = h.join(sessionTimeoutMs: 1_800_001)
        let noType = h.join(protocolType: "")
        let noProtocols = h.join(protocols: [])
        #expect(h.joinAnswer(noGroupId)?.errorCode == .invalidGroupId)
        #expect(h.joinAnswer(unknownGroup) == JoinGroupResponse(errorCode: .unknownMemberId, memberId: "ghost"))
        #expect(h.joinAnswer(shortSession)?.errorCode == .invalidSessionTimeout)
        #expect(h.joinAnswer(longSession)?.errorCode == .invalidSessionTimeout)
        #expect(h.joinAnswer(noType)?.errorCode == .inconsistentGroupProtocol)
        #expect(h.joinAnswer(noProtocols)?.errorCode == .inconsistentGroupProtocol)
        #expect(h.coordinator.groupIds == [], "failed first joins leave no record")

        let (a, _) = h.joinNew(clientId: "a")
        let unknownMember = h.join(memberId: "ghost")
        #expect(h.joinAnswer(unknownMember)?.errorCode == .unknownMemberId)
        let otherType = h.join(protocolType: "connect")
        #expect(h.joinAnswer(otherType)?.errorCode == .inconsistentGroupProtocol)
        let noOverlap = h.join(protocols: [("sticky", [])])
        #expect(h.joinAnswer(noOverlap)?.errorCode == .inconsistentGroupProtocol)
        let second = h.join(clientId: "b")
        #expect(h.joinAnswer(second)?.errorCode == .memberIdRequired)
        let third = h.join(clientId: "c")
        #expect(h.joinAnswer(third)?.errorCode == .groupMaxSizeReached)
        _ = a
        h.expireEverythingAndExpectClean()
    }

    @Test func leaveErrors() {
        var h = GroupHarness()
        #expect(h.leave("", memberIds: ["x"])?.errorCode == .invalidGroupId)
        #expect(h.leave("nowhere", memberIds: ["x"], version: 1)?.errorCode == .unknownMemberId)
        #expect(
            h.leave("nowhere", memberIds: ["x", "y"])?.members.map(\.errorCode) == [.unknownMemberId, .unknownMemberId])
        let members = h.stableGroup(count: 1)
        #expect(h.leave(memberIds: ["", members[0].id])?.members.map(\.errorCode) == [.unknownMemberId, .noError])
        let pending = h.join(clientId: "p")
        let pendingId = h.joinAnswer(pending)?.memberId ?? ""
        #expect(h.leave(memberIds: [pendingId], version: 0)?.errorCode == .noError, "a pending id may leave too")
        h.expireEverythingAndExpectClean()
    }

    /// Candidates are the protocols everyone supports; each member votes for its first one.
    @Test func protocolSelectionByVote() {
        var h = GroupHarness()
        _ = h.joinNew(clientId: "a", protocols: [("range", [1]), ("roundrobin", [2])])
        _ = h.joinNew(clientId: "b", protocols: [("roundrobin", [3]), ("range", [4]), ("sticky", [5])])
        let (_, joinC) = h.joinNew(clientId: "c", protocols: [("sticky", [6]), ("roundrobin", [7]), ("range", [8])])
        h.advance(byMs: 1000)
        let answer = h.joinAnswer(joinC)
        #expect(answer?.protocolName == "roundrobin", "range 1 vote, roundrobin 2 (sticky is not a candidate)")
        #expect(h.coordinator.describeGroup("g")?.members.map(\.metadata) == [[2], [3], [7]])
        h.expireEverythingAndExpectClean()
    }

    /// A tie goes to the protocol the leader prefers.
    @Test func protocolTieGoesToTheLeader() {
        var h = GroupHarness()
        let (_, joinA) = h.joinNew(clientId: "a", protocols: [("roundrobin", []), ("range", [])])
        _ = h.joinNew(clientId: "b", protocols: [("range", []), ("roundrobin", [])])
        h.advance(byMs: 1000)
        #expect(h.joinAnswer(joinA)?.protocolName == "roundrobin")
        h.expireEverythingAndExpectClean()
        #expect(
            ProtocolSelection.select(
                members: [
                    [.init(name: "x", metadata: []), .init(name: "y", metadata: [])], [.init(name: "y", metadata: [])],
                ],
                leader: [.init(name: "x", metadata: []), .init(name: "y", metadata: [])]) == "y")
    }
}
