import Testing
import Wire

@testable import Broker

/// The consumer protocol's opaque bytes against what kafka-python and librdkafka really sent.
@Suite struct ClientGroupProtocolTests {
    private func joinRequest(_ name: String) throws -> JoinGroupRequest {
        let fixture = try FixtureFiles.named(name)
        guard case .joinGroup(let request) = try KafkaRequest.decode(frame: fixture.bytes).request else {
            throw FixtureError(description: "\(name) is not a JoinGroup request")
        }
        return request
    }

    private func syncRequest(_ name: String) throws -> SyncGroupRequest {
        let fixture = try FixtureFiles.named(name)
        guard case .syncGroup(let request) = try KafkaRequest.decode(frame: fixture.bytes).request else {
            throw FixtureError(description: "\(name) is not a SyncGroup request")
        }
        return request
    }

    @Test func subscriptionsOfBothClientsDecodeAndOursMatchKafkaPythonByteForByte() throws {
        let python = try joinRequest("kafka-python_JoinGroup_v5.req.bin")
        let range = try #require(python.protocols.first { $0.name == "range" })
        let decoded = try ConsumerSubscription.decode(range.metadata)
        #expect(decoded == ConsumerSubscription(topics: ["kp-topic"], userData: [], version: 0))
        #expect(ConsumerSubscription(topics: ["kp-topic"]).encoded() == range.metadata)

        // librdkafka sends v3 (owned partitions, generation, rack appended); the prefix is what counts.
        let rdkafka = try joinRequest("librdkafka_JoinGroup_v5.req.bin")
        let rdRange = try #require(rdkafka.protocols.first { $0.name == "range" })
        let rdDecoded = try ConsumerSubscription.decode(rdRange.metadata)
        #expect(rdDecoded.version == 3 && rdDecoded.topics == ["ck-topic"])
    }

    @Test func assignmentsOfBothClientsDecodeAndOursMatchByteForByte() throws {
        for name in ["kafka-python_SyncGroup_v3.req.bin", "librdkafka_SyncGroup_v3.req.bin"] {
            let request = try syncRequest(name)
            let bytes = try #require(request.assignments.first?.assignment)
            let decoded = try ConsumerAssignment.decode(bytes)
            let topic = name.hasPrefix("kafka-python") ? "kp-topic" : "ck-topic"
            #expect(
                decoded.topicPartitions == [
                    TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1),
                ])
            #expect(ConsumerAssignment(partitions: [(topic: topic, partitions: [0, 1])]).encoded() == bytes, "\(name)")
        }
        #expect(try ConsumerAssignment.decode([]).topicPartitions.isEmpty, "empty bytes assign nothing")
    }

    @Test func truncatedProtocolBytesAreErrorsNotTraps() throws {
        let bytes = ConsumerAssignment(partitions: [(topic: "t", partitions: [0, 1, 2])]).encoded()
        for cut in 1..<(bytes.count - 4) {
            #expect(throws: DecodeError.self) { try ConsumerAssignment.decode(Array(bytes[0..<cut])) }
        }
        let subscription = ConsumerSubscription(topics: ["alpha", "beta"]).encoded()
        for cut in 1..<(subscription.count - 4) {
            #expect(throws: DecodeError.self) { try ConsumerSubscription.decode(Array(subscription[0..<cut])) }
        }
    }

    @Test func rangeAssignmentMatchesKafkasRangeAssignor() {
        // Worked by hand after RangeAssignor.java: 7 partitions over 3 members = 3, 2, 2 in member-id order;
        // topic "two" (2 partitions) is only subscribed by b and c.
        let plan = RangeAssignor.assign(
            subscriptions: ["c": ["one", "two"], "a": ["one"], "b": ["one", "two"]],
            partitionCounts: ["one": 7, "two": 2])
        func owned(_ member: String) -> [TopicPartition] { plan[member]?.topicPartitions ?? [] }
        let one = { (p: Int32) in TopicPartition(topic: "one", partition: p) }
        let two = { (p: Int32) in TopicPartition(topic: "two", partition: p) }
        #expect(owned("a") == [one(0), one(1), one(2)])
        #expect(owned("b") == [one(3), one(4), two(0)])
        #expect(owned("c") == [one(5), one(6), two(1)])
        // More members than partitions: the later ones get nothing, but still get an assignment.
        let sparse = RangeAssignor.assign(
            subscriptions: ["x": ["t"], "y": ["t"], "z": ["t"]], partitionCounts: ["t": 2])
        #expect(
            sparse["z"]?.topicPartitions == []
                && sparse["x"]?.topicPartitions == [TopicPartition(topic: "t", partition: 0)])
    }
}
