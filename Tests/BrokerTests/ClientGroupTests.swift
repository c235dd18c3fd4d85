import Foundation
import Synchronization
import Testing

@testable import Broker

@Suite(.dedicatedThread) struct ClientGroupTests {
    @Test func committedOffsetsComeBack() throws {
        try withClient { _, client in
            try client.createTopic("commits", partitions: 3)
            let first = TopicPartition(topic: "commits", partition: 0)
            let third = TopicPartition(topic: "commits", partition: 2)
            try client.commitOffsets(group: "standalone", offsets: [first: 42, third: 7])
            let found = try client.committedOffsets(
                group: "standalone", partitions: [first, TopicPartition(topic: "commits", partition: 1), third])
            #expect(found == [first: 42, third: 7])
            try client.commitOffsets(group: "standalone", offsets: [first: 43])
            #expect(try client.committedOffsets(group: "standalone", partitions: [first]) == [first: 43])
        }
    }

    @Test func twoMembersSplitByRangeAndTheSurvivorTakesAllAfterALeave() throws {
        try withClient { _, client in
            try client.createTopic("shared", partitions: 4)
            let first = PollingConsumer(try groupConsumer(client, topic: "shared"))
            #expect(eventually { first.assignment.count == 4 }, "a lone member owns every partition")
            let second = PollingConsumer(try groupConsumer(client, topic: "shared"))
            #expect(eventually { first.assignment.count == 2 && second.assignment.count == 2 }, "the group split")
            let ids = [first, second].map { $0.consumer.member?.assignment?.memberId ?? "" }
            let (low, high) = ids[0] < ids[1] ? (first, second) : (second, first)
            // Range gives the member with the smaller id the first half.
            #expect(low.assignment.map(\.partition) == [0, 1] && high.assignment.map(\.partition) == [2, 3])
            try second.stop()
            #expect(eventually { first.assignment.count == 4 }, "the survivor took the departed member's partitions")
            try first.stop()
        }
    }

    @Test func aGroupConsumerStartsWhereTheGroupCommitted() throws {
        try withClient { _, client in
            try client.createTopic("resume", partitions: 2)
            let producer = try KafkaProducer(client: client)
            for index in 0..<40 {
                try producer.send(topic: "resume", key: Array("k\(index)".utf8), value: Array("\(index)".utf8))
            }
            _ = try producer.flush()
            producer.close()

            var seen: [String] = []
            let reader = try groupConsumer(client, topic: "resume", resetTo: .earliest)
            while seen.count < 40 {
                for fetched in try reader.poll() {
                    seen += try fetched.decodedRecords().compactMap {
                        $0.value.map { String(decoding: $0, as: UTF8.self) }
                    }
                }
            }
            try reader.close(commitPositions: true)
            #expect(Set(seen) == Set((0..<40).map(String.init)))

            let again = try KafkaProducer(client: client)
            try again.send(topic: "resume", value: Array("late".utf8))
            _ = try again.flush()
            again.close()
            let next = try groupConsumer(client, topic: "resume", resetTo: .earliest)
            var more: [String] = []
            while more.isEmpty {
                for fetched in try next.poll() {
                    more += try fetched.decodedRecords().compactMap {
                        $0.value.map { String(decoding: $0, as: UTF8.self) }
                    }
                }
            }
            try next.close()
            #expect(more == ["late"], "the second member resumed at the committed offsets")
        }
    }

    @Test func standaloneConsumerReadsEveryPartitionFromTheStart() throws {
        try withClient { _, client in
            try client.createTopic("alone", partitions: 3)
            let producer = try KafkaProducer(client: client)
            for index in 0..<30 {
                try producer.send(topic: "alone", key: Array("\(index)".utf8), value: [UInt8(index)])
            }
            _ = try producer.flush()
            producer.close()
            var config = ConsumerConfig(topics: ["alone"], resetTo: .earliest)
            config.fetch.maxWaitMs = 100
            let consumer = try KafkaConsumer(client: client, config: config)
            var values: [UInt8] = []
            while values.count < 30 {
                for fetched in try consumer.poll() {
                    values += try fetched.decodedRecords().compactMap { $0.value?.first }
                }
            }
            #expect(values.sorted() == Array(0..<30))
            #expect(consumer.assignment.count == 3)
            #expect(consumer.positions.values.reduce(0, +) == 30)
        }
    }

    private func groupConsumer(_ client: KafkaClient, topic: String, resetTo: OffsetSpec = .latest) throws
        -> KafkaConsumer
    {
        var config = ConsumerConfig(topics: [topic], groupId: "g-\(topic)", resetTo: resetTo)
        config.sessionTimeoutMs = 10_000
        config.heartbeatIntervalMs = 100
        config.fetch.maxWaitMs = 100
        return try KafkaConsumer(client: client, config: config)
    }
}

/// A group consumer polling on a thread of its own, publishing its current assignment.
final class PollingConsumer: Sendable {
    let consumer: KafkaConsumer
    private let stopped = Atomic<Bool>(false)
    private let current = Mutex<[TopicPartition]>([])
    private let outcome = Mutex<Result<Void, any Error>?>(nil)

    init(_ consumer: KafkaConsumer) {
        self.consumer = consumer
        Thread { [self] in
            let result = Result { try loop() }
            outcome.withLock { $0 = result }
        }.start()
    }

    private func loop() throws {
        while !stopped.load(ordering: .acquiring) {
            _ = try consumer.poll()
            let owned = consumer.member?.needsRejoin == false ? consumer.assignment : []
            current.withLock { $0 = owned }
        }
        try consumer.close()
    }

    var assignment: [TopicPartition] { current.withLock { $0 } }

    func stop() throws {
        stopped.store(true, ordering: .releasing)
        guard eventually({ outcome.withLock { $0 != nil } }) else {
            throw ServerTestFailure("the polling consumer did not stop within 30 s")
        }
        try outcome.withLock { $0 }?.get()
    }
}
