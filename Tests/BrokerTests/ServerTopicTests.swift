import Foundation
import Testing
import Wire

@testable import Broker

/// Topic creation: automatic on Metadata and Produce, CreateTopics with Kafka's errors, and
/// metadata that survives a restart.
@Suite(.dedicatedThread) struct ServerTopicTests {
    /// Metadata: null lists every topic, [] none; allowed auto-creation makes a topic with the
    /// default partitions led by this node at epoch 0 (G12); without it, error 3.
    @Test func metadataListsAndAutoCreates() throws {
        try withBroker({ $0.defaultPartitions = 3 }) { broker in
            let client = try TestKafkaClient(broker)
            #expect(try client.metadata([]).topics.isEmpty)
            let created = try client.metadata(["auto"])
            #expect(created.brokers == [.init(nodeId: 0, host: "127.0.0.1", port: Int32(broker.port))])
            #expect(created.controllerId == 0)
            let topic = try #require(created.topics.first)
            #expect(topic.errorCode == .noError)
            #expect(topic.partitions.map(\.partitionIndex) == [0, 1, 2])
            #expect(topic.partitions.allSatisfy { $0.leaderId == 0 && $0.leaderEpoch == 0 && $0.isrNodes == [0] })
            let refused = try client.metadata(["manual"], allowAutoCreate: false)
            #expect(refused.topics.first?.errorCode == .unknownTopicOrPartition)
            #expect(try client.metadata(["bad/name"]).topics.first?.errorCode == .invalidTopic)
            #expect(try client.metadata(nil).topics.map(\.name) == ["auto"])
            // Produce creates topics too.
            _ = try client.produce("by-produce", makeBatch(count: 1))
            #expect(try client.metadata(nil).topics.map(\.name) == ["auto", "by-produce"])
            // Metadata v0 reads [] as "all topics".
            #expect(try client.metadata([], version: 0).topics.count == 2)
        }
    }

    /// With auto-creation off, Produce to a missing topic is refused.
    @Test func autoCreationCanBeTurnedOff() throws {
        try withBroker({ $0.autoCreateTopics = false }) { broker in
            let client = try TestKafkaClient(broker)
            #expect(try client.metadata(["nope"]).topics.first?.errorCode == .unknownTopicOrPartition)
            #expect(try client.produce("nope", makeBatch(count: 1)).errorCode == .unknownTopicOrPartition)
            #expect(try client.createTopic("yes", partitions: 1).errorCode == .noError)
        }
    }

    /// CreateTopics: success, TOPIC_ALREADY_EXISTS (G15), -1 defaults, and each validation error.
    @Test func createTopicsErrors() throws {
        try withBroker({ $0.defaultPartitions = 4 }) { broker in
            let client = try TestKafkaClient(broker)
            #expect(try client.createTopic("orders", partitions: 6).errorCode == .noError)
            let again = try client.createTopic("orders", partitions: 6)
            #expect(again.errorCode == .topicAlreadyExists)
            #expect(again.errorMessage == "Topic 'orders' already exists.")
            #expect(try client.createTopic("defaults", partitions: -1, replicationFactor: -1).errorCode == .noError)
            #expect(try client.createTopic("bad name", partitions: 1).errorCode == .invalidTopic)
            #expect(
                try client.createTopic(String(repeating: "x", count: 250), partitions: 1).errorCode == .invalidTopic)
            #expect(try client.createTopic(String(repeating: "x", count: 249), partitions: 1).errorCode == .noError)
            #expect(try client.createTopic("zero", partitions: 0).errorCode == .invalidPartitions)
            #expect(
                try client.createTopic("replicated", partitions: 1, replicationFactor: 3).errorCode
                    == .invalidReplicationFactor)
            let metadata = try client.metadata(["orders", "defaults"])
            #expect(metadata.topics.map(\.partitions.count) == [6, 4])
            #expect(
                try client.metadata(["zero", "replicated"], allowAutoCreate: false).topics.map(\.errorCode)
                    == [.unknownTopicOrPartition, .unknownTopicOrPartition])
        }
    }

    /// validate_only checks without creating; a name twice in one request is INVALID_REQUEST;
    /// manual assignments on this single node are honoured.
    @Test func createTopicsValidateOnlyDuplicatesAndAssignments() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let dryRun = CreateTopicsRequest(
                topics: [.init(name: "dry", numPartitions: 2, replicationFactor: 1)], validateOnly: true)
            #expect(try client.call(dryRun, version: 4).topics.map(\.errorCode) == [.noError])
            #expect(try client.metadata(nil).topics.isEmpty)
            let twice = CreateTopicsRequest(topics: [
                .init(name: "twin", numPartitions: 1, replicationFactor: 1),
                .init(name: "twin", numPartitions: 1, replicationFactor: 1),
            ])
            #expect(try client.call(twice, version: 3).topics.map(\.errorCode) == [.invalidRequest, .invalidRequest])
            let assigned = CreateTopicsRequest(topics: [
                .init(
                    name: "assigned", numPartitions: -1, replicationFactor: -1,
                    assignments: [.init(partitionIndex: 0, brokerIds: [0]), .init(partitionIndex: 1, brokerIds: [0])]),
                .init(
                    name: "elsewhere", numPartitions: -1, replicationFactor: -1,
                    assignments: [.init(partitionIndex: 0, brokerIds: [5])]),
            ])
            #expect(
                try client.call(assigned, version: 2).topics.map(\.errorCode) == [.noError, .invalidReplicaAssignment])
            #expect(try client.metadata(["assigned"]).topics.first?.partitions.count == 2)
        }
    }

    /// Past the topic limit, CreateTopics gets POLICY_VIOLATION and auto-creation behaves as if off.
    @Test func topicLimitIsEnforced() throws {
        try withBroker({ $0.topicsMax = 2 }) { broker in
            let client = try TestKafkaClient(broker)
            #expect(try client.createTopic("one", partitions: 1).errorCode == .noError)
            #expect(try client.metadata(["two"]).topics.first?.errorCode == .noError)
            #expect(try client.createTopic("three", partitions: 1).errorCode == .policyViolation)
            #expect(try client.metadata(["four"]).topics.first?.errorCode == .unknownTopicOrPartition)
            #expect(try client.produce("five", makeBatch(count: 1)).errorCode == .unknownTopicOrPartition)
            #expect(try client.metadata(nil).topics.map(\.name) == ["one", "two"])
        }
    }

    /// Topics, their partition counts and their records survive a restart.
    @Test func topicsSurviveRestart() throws {
        try withDataDirectory { directory in
            let batch = makeBatch(count: 3)
            try withBroker(in: directory) { broker in
                let client = try TestKafkaClient(broker)
                #expect(try client.createTopic("kept", partitions: 5).errorCode == .noError)
                _ = try client.produce("kept", partition: 4, batch)
            }
            try withBroker(in: directory) { broker in
                let client = try TestKafkaClient(broker)
                let metadata = try client.metadata(nil)
                #expect(metadata.topics.map(\.name) == ["kept"])
                #expect(metadata.topics.first?.partitions.count == 5)
                #expect(try client.fetch("kept", partition: 4, offset: 0).records?.array == stored(batch, at: 0))
            }
        }
    }

    /// A second broker cannot open a data directory in use; a corrupt topic list refuses to start.
    @Test func dataDirectoryIsExclusiveAndChecked() throws {
        try withDataDirectory { directory in
            try withBroker(in: directory) { broker throws -> Void in
                #expect(try TestKafkaClient(broker).createTopic("listed", partitions: 1).errorCode == .noError)
                #expect(throws: BrokerError.self) { try KafkaBroker.start(testBrokerConfig(directory)) }
            }
            let path = directory + "/" + TopicMetadataFile.fileName
            var bytes = try Posix.readFile(path)
            bytes[bytes.count - 1] ^= 1
            try Posix.writeFileAtomically(path, bytes)
            #expect(throws: BrokerError.self) { try KafkaBroker.start(testBrokerConfig(directory)) }
        }
    }

    /// FindCoordinator names this node for groups and refuses transactions.
    @Test func findCoordinatorIsThisNode() throws {
        try withBroker({ $0.advertisedHost = "broker.example" }) { broker in
            let client = try TestKafkaClient(broker)
            for version in Int16(0)...2 {
                let found = try client.call(FindCoordinatorRequest(key: "g"), version: version)
                #expect(found.errorCode == .noError)
                #expect(found.nodeId == 0)
                #expect(found.host == "broker.example")
                #expect(found.port == Int32(broker.port))
            }
            let transactions = try client.call(FindCoordinatorRequest(key: "t", keyType: 1), version: 2)
            #expect(transactions.errorCode == .coordinatorNotAvailable)
            #expect(try client.metadata(nil).brokers.first?.host == "broker.example")
        }
    }
}
