import Foundation
import Testing
import Wire

@testable import Broker

@Suite(.dedicatedThread) struct ClientMetadataTests {
    @Test func createDescribeAndListTopics() throws {
        try withClient { broker, client in
            try client.createTopic("orders", partitions: 4)
            try client.createTopic("users", partitions: 1)
            let topic = try client.topicMetadata("orders")
            #expect(topic.partitions.map(\.partition) == [0, 1, 2, 3])
            #expect(topic.partitions.allSatisfy { $0.leaderId == 0 })
            #expect(try client.listTopics() == ["orders", "users"])
            let node = try client.leader(of: TopicPartition(topic: "orders", partition: 2))
            #expect(node.port == Int32(broker.port))
        }
    }

    @Test func duplicateTopicIsATypedError() throws {
        try withClient { _, client in
            try client.createTopic("twice", partitions: 2)
            #expect(throws: KafkaClientError.topicAlreadyExists("twice")) {
                try client.createTopic("twice", partitions: 2)
            }
        }
    }

    @Test func unknownTopicIsATypedError() throws {
        try withClient { _, client in
            #expect(throws: KafkaClientError.unknownTopic("missing")) { try client.topicMetadata("missing") }
            // Asking the broker to create it (as producers do) works with its default partition count.
            let created = try client.topicMetadata("missing", allowAutoCreate: true)
            #expect(created.partitionCount == 2)
        }
    }

    @Test func unreachableBrokerNamesTheAddress() throws {
        // A port nobody listens on: bind one, note it, close it.
        let socket = try Socket.listen(on: try SocketAddress(parsing: "127.0.0.1:0"))
        let port = try socket.localAddress().port
        socket.close()
        var config = KafkaClientConfig(bootstrap: "127.0.0.1:\(port)")
        config.retries = 1
        config.retryBackoffMs = 10
        let client = try KafkaClient(config)
        do {
            _ = try client.listTopics()
            Issue.record("listing topics of a closed port succeeded")
        } catch {
            guard case .unreachable(let broker, _) = error else {
                Issue.record("expected .unreachable, got \(error)")
                return
            }
            #expect(broker == "127.0.0.1:\(port)")
        }
    }
}
