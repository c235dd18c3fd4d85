import Testing

@testable import Broker

/// Everything time does to a group: sessions, the join wait, the initial delay, unused
/// MEMBER_ID_REQUIRED ids, silent SyncGroup senders and new members stuck in JoinGroup.
@Suite struct GroupTimeoutTests {
    /// A member that stops heartbeating is removed at its session deadline; the survivor learns
    /// through heartbeat 27 and forms generation 2 alone.
    @Test func sessionExpiryRemovesTheMember() {
        var h = GroupHarness()
        let members = h.stableGroup(count: 2)
        let joinedAt = h.nowMs
        for _ in 0..<3 {
            h.advance(byMs: 3000)
            #expect(h.heartbeat(memberId: members[0].id, generation: 1) == .noError)
        }
        // members[1] last showed life when its SyncGroup was answered, at `joinedAt`.
        h.advance(byMs: joinedAt + 10_000 - h.nowMs - 1)
        #expect(h.state == .stable)
        h.advance(byMs: 1)
        #expect(h.state == .preparingRebalance)
        #expect(h.heartbeat(memberId: members[1].id, generation: 1) == .unknownMemberId)
        #expect(h.heartbeat(memberId: members[0].id, generation: 1) == .rebalanceInProgress)
        let rejoin = h.join(memberId: members[0].id)
        #expect(h.joinAnswer(rejoin)?.generationId == 2 && h.joinAnswer(rejoin)?.members.count == 1)
        h.expireEverythingAndExpectClean()
    }

    /// A member that keeps heartbeating but never rejoins is dropped when the rebalance times out,
    /// measured from the start of the rebalance with the longest member rebalance timeout.
    @Test func rebalanceTimeoutDropsMemberThatNeverRejoined() {
        var h = GroupHarness()
        let members = h.stableGroup(count: 2)
        let started = h.nowMs
        let (memberC, joinC) = h.joinNew(clientId: "late", rebalanceTimeoutMs: 20_000)
        let rejoinA = h.join(memberId: members[0].id)
        while h.nowMs + 2000 < started + 30_000 {
            h.advance(byMs: 2000)
            #expect(h.heartbeat(memberId: members[1].id, generation: 1) == .rebalanceInProgress)
        }
        #expect(!h.isAnswered(rejoinA))
        h.advance(byMs: started + 30_000 - h.nowMs)
        #expect(h.joinAnswer(rejoinA)?.generationId == 2 && h.joinAnswer(joinC)?.generationId == 2)
        #expect(h.joinAnswer(rejoinA)?.members.map(\.memberId) == [members[0].id, memberC])
        #expect(h.heartbeat(memberId: members[1].id, generation: 1) == .unknownMemberId)
        h.expireEverythingAndExpectClean()
    }

    /// KIP-134: each newcomer during the initial delay buys one more delay, capped by the rebalance
    /// timeout; the join never completes before the delay even when everyone is there.
    @Test func initialDelayIsExtendedByNewcomers() {
        var h = GroupHarness(config: GroupCoordinatorConfig(initialRebalanceDelayMs: 3000))
        let (_, joinA) = h.joinNew(clientId: "a", rebalanceTimeoutMs: 7000)
        h.advance(byMs: 2999)
        #expect(!h.isAnswered(joinA))
        let (_, joinB) = h.joinNew(clientId: "b", rebalanceTimeoutMs: 7000)
        h.advance(byMs: 1)
        #expect(!h.isAnswered(joinA), "b arrived in time: the delay runs to 6000")
        h.advance(byMs: 1000)
        let (_, joinC) = h.joinNew(clientId: "c", rebalanceTimeoutMs: 7000)
        h.advance(byMs: 1999)
        #expect(!h.isAnswered(joinC))
        h.advance(byMs: 1)
        #expect(!h.isAnswered(joinC), "only 1000 ms of the 7000 ms rebalance timeout remain")
        h.advance(byMs: 999)
        #expect(!h.isAnswered(joinC))
        h.advance(byMs: 1)
        #expect([joinA, joinB, joinC].map { h.joinAnswer($0)?.generationId } == [1, 1, 1])
        #expect(h.nowMs == 7000)
        h.expireEverythingAndExpectClean()
    }

    /// The outcome does not depend on how often the shell ticks: one late tick fires each timer
    /// at its own deadline, so the new generation's sessions start at the join deadline.
    @Test func lateTickFiresTimersAtTheirDeadlines() {
        var h = GroupHarness(config: GroupCoordinatorConfig(initialRebalanceDelayMs: 3000))
        let (_, joinA) = h.joinNew(clientId: "a")
        h.advance(byMs: 12_999)
        #expect(h.joinAnswer(joinA)?.generationId == 1 && h.state == .completingRebalance)
        h.advance(byMs: 1)
        #expect(h.state == nil, "a's session started at the join deadline (3000), not at the late tick")
        h.expireEverythingAndExpectClean()
    }

    /// The last member that had not rejoined leaving completes the join at once.
    @Test func leaveDuringRebalanceCompletesTheJoin() {
        var h = GroupHarness()
        let members = h.stableGroup(count: 3)
        let rejoins = [members[0], members[2]].map { h.join(memberId: $0.id) }
        #expect(!h.isAnswered(rejoins[0]))
        _ = h.leave(memberIds: [members[1].id], version: 1)
        #expect(rejoins.map { h.joinAnswer($0)?.generationId } == [2, 2])
        h.expireEverythingAndExpectClean()
    }

    /// An id handed out with MEMBER_ID_REQUIRED holds the rebalance until its session timeout.
    @Test func unusedMemberIdStopsHoldingTheRebalance() {
        var h = GroupHarness()
        let members = h.stableGroup(count: 1)
        let ghost = h.join(clientId: "ghost", sessionTimeoutMs: 8000)
        #expect(h.joinAnswer(ghost)?.errorCode == .memberIdRequired)
        let rejoin = h.join(memberId: members[0].id)
        #expect(!h.isAnswered(rejoin), "the leader rejoined, but the ghost id is still pending")
        h.advance(byMs: 7999)
        #expect(h.heartbeat(memberId: members[0].id, generation: 1) == .rebalanceInProgress)
        #expect(!h.isAnswered(rejoin))
        h.advance(byMs: 1)
        #expect(h.joinAnswer(rejoin)?.generationId == 2)
        h.expireEverythingAndExpectClean()
    }

    /// A leader that heartbeats but never sends SyncGroup is removed after the rebalance timeout;
    /// the follower's held SyncGroup gets 27 and it forms the next generation.
    @Test func silentLeaderIsRemovedAfterTheSyncTimeout() {
        var h = GroupHarness()
        let (a, joinA) = h.joinNew(clientId: "a", rebalanceTimeoutMs: 15_000)
        let (b, joinB) = h.joinNew(clientId: "b", rebalanceTimeoutMs: 15_000)
        h.advance(byMs: 200)  // 100 ms delay, extended once because b arrived during it
        #expect(h.joinAnswer(joinA)?.leader == a && h.joinAnswer(joinB)?.generationId == 1)
        let completedAt = h.nowMs
        let syncB = h.sync(memberId: b, generation: 1)
        while h.nowMs + 3000 < completedAt + 15_000 {
            h.advance(byMs: 3000)
            #expect(h.heartbeat(memberId: a, generation: 1) == .noError)
        }
        #expect(!h.isAnswered(syncB))
        h.advance(byMs: completedAt + 15_000 - h.nowMs)
        #expect(h.syncAnswer(syncB)?.errorCode == .rebalanceInProgress)
        #expect(h.heartbeat(memberId: a, generation: 1) == .unknownMemberId)
        let rejoinB = h.join(memberId: b)
        #expect(h.joinAnswer(rejoinB)?.leader == b && h.joinAnswer(rejoinB)?.generationId == 2)
        h.expireEverythingAndExpectClean()
    }

    /// A brand-new member whose first join outlives `newMemberJoinTimeoutMs` is dropped with 25.
    @Test func newMemberJoinTimesOut() {
        var h = GroupHarness(config: GroupCoordinatorConfig(initialRebalanceDelayMs: 100, newMemberJoinTimeoutMs: 5000))
        let members = h.stableGroup(count: 1)
        let (_, joinB) = h.joinNew(clientId: "b")
        h.advance(byMs: 4999)
        #expect(!h.isAnswered(joinB))
        h.advance(byMs: 1)
        #expect(h.joinAnswer(joinB) == JoinGroupResponse(errorCode: .unknownMemberId, memberId: ""))
        #expect(h.heartbeat(memberId: members[0].id, generation: 1) == .rebalanceInProgress)
        h.expireEverythingAndExpectClean()
    }
}
