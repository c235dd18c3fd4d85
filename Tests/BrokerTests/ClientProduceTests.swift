import Foundation
import Synchronization
import Testing

@testable import Broker

@Suite(.dedicatedThread) struct ClientProduceTests {
    @Test func keyedRecordsWithHeadersComeBackExactlyWhereKafkaWouldPutThem() throws {
        try withClient { _, client in
            try client.createTopic("keyed", partitions: 3)
            let producer = try KafkaProducer(client: client, config: smallBatches())
            var sent: [String: (value: [UInt8], headers: [RecordHeader])] = [:]
            for index in 0..<600 {
                let key = "user-\(index % 50)"
                let value = Array("event \(index) of \(key)".utf8)
                let headers =
                    index % 3 == 0 ? [RecordHeader("trace", Array("t\(index)".utf8)), RecordHeader("n", nil)] : []
                producer.sendOrRecord(topic: "keyed", key: Array(key.utf8), value: value, headers: headers)
                sent["\(index)"] = (value, headers)
            }
            producer.sendOrRecord(topic: "keyed", key: Array("foobar".utf8), value: Array("hand-worked".utf8))
            let report = try producer.flush()
            #expect(report.acknowledged == 601 && report.failed.isEmpty)
            producer.close()

            let fetched = try fetchAll(client, topic: "keyed")
            #expect(fetched.values.reduce(0) { $0 + $1.count } == 601)
            // "foobar" hashes to 1357151166 (Kafka's vector), and 1357151166 % 3 == 0.
            #expect(fetched[0]?.contains { $0.value == Array("hand-worked".utf8) } == true)
            var perKeyOrder: [String: [Int]] = [:]
            for (partition, records) in fetched {
                #expect(records.map(\.offset) == Array(0..<Int64(records.count)), "offsets of \(partition) are dense")
                for record in records where record.value != Array("hand-worked".utf8) {
                    let key = try #require(record.key)
                    #expect(Murmur2.partition(forKey: key, partitionCount: 3) == partition)
                    let text = String(decoding: try #require(record.value), as: UTF8.self)
                    let index = try #require(Int(text.split(separator: " ")[1]))
                    let expected = try #require(sent["\(index)"])
                    #expect(record.value == expected.value && record.headers == expected.headers)
                    perKeyOrder[String(decoding: key, as: UTF8.self), default: []].append(index)
                }
            }
            #expect(perKeyOrder.count == 50)
            #expect(perKeyOrder.values.allSatisfy { $0 == $0.sorted() }, "records of one key keep their order")
        }
    }

    @Test(arguments: Acks.allCases)
    func everyAcksModeDeliversEveryRecord(_ acks: Acks) throws {
        try withClient { _, client in
            try client.createTopic("acks", partitions: 2)
            let producer = try KafkaProducer(client: client, config: smallBatches(acks))
            for index in 0..<2000 {
                producer.sendOrRecord(topic: "acks", key: Array("k\(index)".utf8), value: Array("v\(index)".utf8))
            }
            let report = try producer.flush()
            producer.close()
            #expect(report.acknowledged == 2000 && report.failed.isEmpty)
            // Under acks=0 "acknowledged" means written; the broker appends a moment later.
            let landed = eventually {
                ((try? client.offsets(topic: "acks", at: .latest))?.values.reduce(0, +) ?? 0) == 2000
            }
            #expect(landed)
            let values = try fetchAll(client, topic: "acks").values.flatMap { $0 }.compactMap(\.value)
            #expect(Set(values.map { String(decoding: $0, as: UTF8.self) }) == Set((0..<2000).map { "v\($0)" }))
        }
    }

    @Test func manyRecordsReportDenseOffsetsPerPartition() throws {
        try withClient { _, client in
            try client.createTopic("bulk", partitions: 4)
            let reports = Mutex<[DeliveryReport]>([])
            var config = ProducerConfig(acks: .leader, lingerMs: 1, batchBytes: 16 << 10)
            config.idempotent = false
            let producer = try KafkaProducer(client: client, config: config) { report in
                reports.withLock { $0.append(report) }
            }
            let value = [UInt8](repeating: 0x61, count: 100)
            var tickets: [UInt64] = []
            for _ in 0..<20_000 { tickets.append(try producer.send(topic: "bulk", value: value)) }
            #expect(tickets == Array(0..<20_000))
            let report = try producer.flush()
            producer.close()
            #expect(report.acknowledged == 20_000)
            let all = reports.withLock { $0 }
            #expect(all.allSatisfy { $0.error == nil })
            #expect(Set(all.flatMap(\.tickets)).count == 20_000)
            for partition in Int32(0)..<4 {
                let batches = all.filter { $0.partition == partition }.sorted {
                    ($0.baseOffset ?? 0) < ($1.baseOffset ?? 0)
                }
                var next: Int64 = 0
                for batch in batches {
                    #expect(batch.baseOffset == next)
                    next += Int64(batch.tickets.count)
                }
            }
            let latest = try client.offsets(topic: "bulk", at: .latest)
            #expect(latest.values.reduce(0, +) == 20_000)
            #expect(latest.values.filter { $0 > 0 }.count > 1, "null keys move on between batches")
        }
    }

    @Test func idempotentBatchesCarryOneProducerIdAndContiguousSequences() throws {
        try withClient { _, client in
            try client.createTopic("seq", partitions: 2)
            let producer = try KafkaProducer(client: client, config: smallBatches(.all))
            for index in 0..<3000 {
                try producer.send(topic: "seq", key: Array("k\(index % 7)".utf8), value: [1, 2, 3])
            }
            #expect(try producer.flush().acknowledged == 3000)
            producer.close()
            var producerIds: Set<Int64> = []
            for partition in Int32(0)..<2 {
                var offset: Int64 = 0
                var nextSequence: Int32 = 0
                while true {
                    let fetched = try client.fetch(
                        topic: "seq", partition: partition, offset: offset, options: FetchOptions(maxWaitMs: 0))
                    guard !fetched.isEmpty else { break }
                    for batch in fetched.batches {
                        producerIds.insert(batch.header.producerId)
                        #expect(batch.header.baseSequence == nextSequence, "\(partition) at \(batch.header.baseOffset)")
                        nextSequence = batch.header.baseSequence + batch.header.recordCount
                    }
                    offset = fetched.nextOffset
                }
                #expect(nextSequence > 1, "partition \(partition) got several batches")
            }
            #expect(producerIds.count == 1 && (producerIds.first ?? -1) >= 0)
        }
    }

    @Test func impossibleRecordsAreRefusedAtSend() throws {
        try withClient { _, client in
            try client.createTopic("small", partitions: 2)
            var config = ProducerConfig()
            config.recordBytesMax = 1000
            let producer = try KafkaProducer(client: client, config: config)
            defer { producer.close() }
            #expect(throws: KafkaClientError.unknownPartition(topic: "small", partition: 5)) {
                try producer.send(topic: "small", value: [1], partition: 5)
            }
            let oversized = Result { () throws(KafkaClientError) in
                try producer.send(topic: "small", value: [UInt8](repeating: 0, count: 2000))
            }
            guard case .failure(.recordTooLarge(_, let limit)) = oversized else {
                Issue.record("an oversized record gave \(oversized)")
                return
            }
            #expect(limit == 1000)
            var noAutoCreate = ProducerConfig()
            noAutoCreate.allowAutoCreateTopics = false
            let strict = try KafkaProducer(client: client, config: noAutoCreate)
            defer { strict.close() }
            #expect(throws: KafkaClientError.unknownTopic("absent")) { try strict.send(topic: "absent", value: [1]) }
        }
    }
}

extension KafkaProducer {
    /// `send` that records an issue instead of throwing, for loops in tests.
    func sendOrRecord(topic: String, key: [UInt8]? = nil, value: [UInt8]?, headers: [RecordHeader] = []) {
        do { try send(topic: topic, key: key, value: value, headers: headers) } catch {
            Issue.record("send failed: \(error)")
        }
    }
}
