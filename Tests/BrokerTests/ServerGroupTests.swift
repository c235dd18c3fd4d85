import Testing
import Wire

@testable import Broker

/// Consumer groups through live sockets: the §5 flow with two members on their own connections,
/// commits, OffsetFetch, and committed offsets surviving a restart.
@Suite(.dedicatedThread) struct ServerGroupTests {
    private func joinRequest(_ memberId: String, metadata: [UInt8]) -> JoinGroupRequest {
        JoinGroupRequest(
            groupId: "clicks", sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000, memberId: memberId,
            protocolType: "consumer", protocols: [.init(name: "range", metadata: metadata)])
    }

    /// First join: MEMBER_ID_REQUIRED with a generated id, then the real join with that id.
    private func joinAsNewMember(_ client: TestKafkaClient, metadata: [UInt8]) throws -> String {
        let first = try client.call(joinRequest("", metadata: metadata), version: 5)
        #expect(first.errorCode == .memberIdRequired)
        #expect(first.memberId.hasPrefix("spate-test-"))
        return first.memberId
    }

    private func heartbeat(_ client: TestKafkaClient, _ memberId: String, generation: Int32) throws -> KafkaErrorCode {
        try client.call(HeartbeatRequest(groupId: "clicks", generationId: generation, memberId: memberId), version: 3)
            .errorCode
    }

    @Test func twoMembersJoinSyncHeartbeatCommitAndLeave() throws {
        try withBroker { broker in
            let alice = try TestKafkaClient(broker)
            let bob = try TestKafkaClient(broker)
            let found = try alice.call(FindCoordinatorRequest(key: "clicks"), version: 2)
            #expect(found.port == Int32(broker.port))

            // Alice alone: leader of generation 1.
            let aliceId = try joinAsNewMember(alice, metadata: [1])
            let aliceJoin = try alice.call(joinRequest(aliceId, metadata: [1]), version: 5)
            #expect(aliceJoin.errorCode == .noError)
            #expect(aliceJoin.leader == aliceId)
            #expect(aliceJoin.protocolName == "range")
            #expect(aliceJoin.members.map(\.memberId) == [aliceId])
            let generation1 = aliceJoin.generationId
            let aliceSync = try alice.call(
                SyncGroupRequest(
                    groupId: "clicks", generationId: generation1, memberId: aliceId,
                    assignments: [.init(memberId: aliceId, assignment: [0xA1])]),
                version: 3)
            #expect(aliceSync.assignment == [0xA1])
            #expect(try heartbeat(alice, aliceId, generation: generation1) == .noError)

            // Bob joins: his JoinGroup is held on his connection until Alice rejoins; Alice learns of
            // the rebalance from her heartbeat (27).
            let bobId = try joinAsNewMember(bob, metadata: [2])
            let bobJoinId = try bob.send(joinRequest(bobId, metadata: [2]), version: 5)
            #expect(eventually { (try? heartbeat(alice, aliceId, generation: generation1)) == .rebalanceInProgress })
            let aliceRejoin = try alice.call(joinRequest(aliceId, metadata: [1]), version: 5)
            let bobJoin = try bob.receive(JoinGroupResponse.self, version: 5, correlationId: bobJoinId)
            let generation2 = aliceRejoin.generationId
            #expect(generation2 == generation1 + 1)
            #expect(bobJoin.generationId == generation2)
            #expect(aliceRejoin.leader == aliceId && bobJoin.leader == aliceId)
            #expect(aliceRejoin.members.map(\.memberId) == [aliceId, bobId])
            #expect(aliceRejoin.members.map(\.metadata) == [[1], [2]])
            #expect(bobJoin.members.isEmpty, "only the leader gets the member list")

            // Bob's SyncGroup waits for the leader's assignments.
            let bobSyncId = try bob.send(
                SyncGroupRequest(groupId: "clicks", generationId: generation2, memberId: bobId, assignments: []),
                version: 3)
            let leaderSync = try alice.call(
                SyncGroupRequest(
                    groupId: "clicks", generationId: generation2, memberId: aliceId,
                    assignments: [
                        .init(memberId: aliceId, assignment: [0xA2]), .init(memberId: bobId, assignment: [0xB2]),
                    ]
                ),
                version: 3)
            #expect(leaderSync.assignment == [0xA2])
            #expect(try bob.receive(SyncGroupResponse.self, version: 3, correlationId: bobSyncId).assignment == [0xB2])
            #expect(try heartbeat(bob, bobId, generation: generation2) == .noError)

            // Commits from the current generation land; a stale generation is refused.
            let commit = OffsetCommitRequest(
                groupId: "clicks", generationId: generation2, memberId: bobId,
                topics: [
                    .init(
                        name: "views",
                        partitions: [.init(partitionIndex: 1, committedOffset: 42, committedMetadata: "m")])
                ])
            #expect(try bob.call(commit, version: 7).topics.first?.partitions.first?.errorCode == .noError)
            var stale = commit
            stale.generationId = generation1
            #expect(try bob.call(stale, version: 7).topics.first?.partitions.first?.errorCode == .illegalGeneration)
            let fetched = try alice.call(
                OffsetFetchRequest(groupId: "clicks", topics: [.init(name: "views", partitionIndexes: [0, 1])]),
                version: 5)
            #expect(fetched.topics.first?.partitions.map(\.committedOffset) == [-1, 42])
            #expect(fetched.topics.first?.partitions.map(\.metadata) == ["", "m"])

            // Bob leaves (librdkafka's LeaveGroup v1); Alice is told to rejoin.
            #expect(
                try bob.call(LeaveGroupRequest(groupId: "clicks", memberId: bobId), version: 1).errorCode == .noError)
            #expect(try heartbeat(alice, aliceId, generation: generation2) == .rebalanceInProgress)
            #expect(broker.metrics.groupCount == 1)
        }
    }

    /// Offsets committed outside a generation (simple consumers) survive a restart of the broker.
    @Test func committedOffsetsSurviveRestart() throws {
        try withDataDirectory { directory in
            let commit = OffsetCommitRequest(
                groupId: "batch-job",
                topics: [
                    .init(
                        name: "logs",
                        partitions: [.init(partitionIndex: 0, committedOffset: 1234, committedMetadata: nil)])
                ])
            try withBroker(in: directory) { broker in
                let client = try TestKafkaClient(broker)
                #expect(try client.call(commit, version: 2).topics.first?.partitions.first?.errorCode == .noError)
            }
            try withBroker(in: directory) { broker in
                let client = try TestKafkaClient(broker)
                let fetched = try client.call(OffsetFetchRequest(groupId: "batch-job", topics: nil), version: 5)
                #expect(fetched.topics.map(\.name) == ["logs"])
                #expect(fetched.topics.first?.partitions.first?.committedOffset == 1234)
            }
        }
    }

    /// Unknown members and empty group ids get Kafka's codes through the socket.
    @Test func groupErrorsThroughTheSocket() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            #expect(try heartbeat(client, "ghost", generation: 1) == .unknownMemberId)
            let sync = try client.call(
                SyncGroupRequest(groupId: "clicks", generationId: 1, memberId: "ghost", assignments: []), version: 3)
            #expect(sync.errorCode == .unknownMemberId)
            let join = try client.call(joinRequest("ghost", metadata: []), version: 5)
            #expect(join.errorCode == .unknownMemberId)
            let noGroup = try client.call(
                HeartbeatRequest(groupId: "", generationId: 1, memberId: "x"), version: 3)
            #expect(noGroup.errorCode == .invalidGroupId)
        }
    }
}
