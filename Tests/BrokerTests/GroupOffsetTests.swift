import Testing

@testable import Broker

/// Committed offsets in the coordinator: the persist handshake, OffsetFetch answers, ordering.
@Suite struct GroupOffsetTests {
    @Test func unknownOffsetsAnswerMinusOne() {
        let h = GroupHarness()
        let response = h.fetch(["t": [0, 3]], groupId: "nobody")
        let unknown = OffsetFetchResponse.Partition(partitionIndex: 0, committedOffset: -1, metadata: "")
        #expect(response.errorCode == .noError)
        #expect(response.topics.map(\.name) == ["t"])
        #expect(
            response.topics.first?.partitions == [unknown, .init(partitionIndex: 3, committedOffset: -1, metadata: "")])
        #expect(unknown.committedLeaderEpoch == -1 && unknown.errorCode == .noError)
        #expect(h.fetch(nil, groupId: "nobody").topics == [])
    }

    /// A commit is answered only after the shell reports it durable, and only then visible.
    @Test func commitWaitsForPersistence() {
        var h = GroupHarness()
        h.autoPersist = false
        h.nowMs = 500
        let token = h.commit(offsets: [("orders", 2, 100), ("audit", 0, 7)], metadata: nil)
        #expect(!h.isAnswered(token))
        let batch = h.unpersisted[token]
        #expect(batch?.groupId == "g")
        #expect(
            batch?.entries.map(\.topicPartition) == [
                .init(topic: "audit", partition: 0), .init(topic: "orders", partition: 2),
            ])
        #expect(
            batch?.entries.first?.value
                == CommittedOffset(
                    offset: 7, leaderEpoch: 0, metadata: "", commitTimestampMs: 1_700_000_000_500, sequence: 1))
        #expect(h.fetch(["orders": [2]]).topics.first?.partitions.first?.committedOffset == -1, "not durable yet")
        h.persist(token)
        #expect(h.commitCodes(token) == [.noError, .noError])
        let all = h.fetch(nil)
        #expect(all.topics.map(\.name) == ["audit", "orders"])
        #expect(
            all.topics.last?.partitions == [
                .init(partitionIndex: 2, committedOffset: 100, committedLeaderEpoch: 0, metadata: "")
            ])
        h.expireEverythingAndExpectClean()
    }

    @Test func failedPersistenceAnswersNotCoordinator() {
        var h = GroupHarness(config: GroupCoordinatorConfig(offsetMetadataBytesMax: 1))
        h.autoPersist = false
        let token = h.commit(offsets: [("t", 0, 5), ("t", 1, 6)], metadata: "x")
        h.persist(token, succeeded: false)
        #expect(h.commitCodes(token) == [.notCoordinator, .notCoordinator])
        #expect(h.fetch(["t": [0]]).topics.first?.partitions.first?.committedOffset == -1)
        let mixed = h.commit(offsets: [("t", 0, 5)], metadata: "xy")
        #expect(h.commitCodes(mixed) == [.offsetMetadataTooLarge], "nothing accepted, nothing to persist")
        h.expectClean()
    }

    /// Two commits to one partition made durable in the opposite order: the later commit wins.
    @Test func laterCommitWinsWhateverThePersistOrder() {
        var h = GroupHarness()
        h.autoPersist = false
        let first = h.commit(offsets: [("t", 0, 10)])
        let second = h.commit(offsets: [("t", 0, 20)])
        h.persist(second)
        h.persist(first)
        #expect(h.fetch(["t": [0]]).topics.first?.partitions.first?.committedOffset == 20)
        h.expectClean()
    }

    /// A coordinator restored from stored offsets serves them and continues their sequence.
    @Test func restoredOffsetsContinueTheirSequence() {
        let stored = CommittedOffset(offset: 9, leaderEpoch: 3, metadata: "meta", commitTimestampMs: 1, sequence: 41)
        var h = GroupHarness()
        h.coordinator = GroupCoordinator(committedOffsets: ["g": [TopicPartition(topic: "t", partition: 0): stored]])
        h.autoPersist = false
        #expect(
            h.fetch(["t": [0]]).topics.first?.partitions.first
                == .init(partitionIndex: 0, committedOffset: 9, committedLeaderEpoch: 3, metadata: "meta"))
        let token = h.commit(offsets: [("t", 1, 1)])
        #expect(h.unpersisted[token]?.entries.first?.value.sequence == 42)
        h.persist(token)
        h.expectClean()
    }
}
