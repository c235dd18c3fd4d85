import Foundation
import Testing
import Wire

@testable import Broker

@Suite(.dedicatedThread) struct ClientFetchTests {
    @Test func longPollReturnsWhenDataArrives() throws {
        try withClient { broker, client in
            try client.createTopic("poll", partitions: 1)
            let waiting = BackgroundRun { () throws -> [Record] in
                let fetched = try client.fetch(
                    topic: "poll", partition: 0, offset: 0, options: FetchOptions(maxWaitMs: 60_000))
                return try fetched.decodedRecords()
            }
            // The fetch is parked in the broker before anything is produced.
            #expect(eventually { broker.core.appendSignal.sleepingCount == 1 })
            #expect(!waiting.isFinished)
            let producer = try KafkaProducer(client: client, config: ProducerConfig(lingerMs: 0))
            try producer.send(topic: "poll", value: Array("wake up".utf8))
            _ = try producer.flush()
            producer.close()
            let records = try waiting.result(timeoutMs: 30_000)
            #expect(records.map(\.value) == [Array("wake up".utf8)])
        }
    }

    @Test func offsetsOutsideTheLogAreATypedError() throws {
        try withClient { _, client in
            try client.createTopic("range", partitions: 1)
            let producer = try KafkaProducer(client: client)
            for index in 0..<5 { try producer.send(topic: "range", value: [UInt8(index)]) }
            _ = try producer.flush()
            producer.close()
            #expect(
                throws: KafkaClientError.offsetOutOfRange(
                    topic: "range", partition: 0, offset: 9, logStartOffset: 0, highWatermark: 5)
            ) {
                try client.fetch(topic: "range", partition: 0, offset: 9, options: FetchOptions(maxWaitMs: 0))
            }
            // The high watermark itself is in range: nothing yet, no error (G7).
            let atEnd = try client.fetch(topic: "range", partition: 0, offset: 5, options: FetchOptions(maxWaitMs: 0))
            #expect(atEnd.isEmpty && atEnd.nextOffset == 5 && atEnd.highWatermark == 5)
        }
    }

    @Test func valueRangesPointAtTheRecordBytesAndEarlierRecordsAreSkipped() throws {
        try withClient { _, client in
            try client.createTopic("views", partitions: 1)
            // One batch of ten records: linger long enough that flush is what sends it.
            let producer = try KafkaProducer(client: client, config: ProducerConfig(lingerMs: 60_000))
            let values = (0..<10).map { Array("value number \($0) ".utf8) + [UInt8](repeating: UInt8($0), count: $0) }
            for (index, value) in values.enumerated() {
                let key: [UInt8]? = index % 2 == 0 ? nil : Array("k\(index)".utf8)
                try producer.send(topic: "views", key: key, value: value, headers: [RecordHeader("i", [UInt8(index)])])
            }
            _ = try producer.flush()
            producer.close()

            let fetched = try client.fetch(topic: "views", partition: 0, offset: 4, options: FetchOptions(maxWaitMs: 0))
            #expect(
                fetched.batches.count == 1 && fetched.batches[0].header.baseOffset == 0, "the batch starts before 4")
            let views = try fetched.recordViews()
            #expect(views.map(\.offset) == Array(4..<10))
            var previousEnd = fetched.batches[0].range.lowerBound + RecordBatchHeader.size
            for view in views {
                let index = Int(view.offset)
                let range = try #require(view.value)
                // Independent check: the value's bytes sit, in the raw buffer, exactly where the view says.
                #expect(Array(fetched.records[range]) == values[index])
                #expect(range.lowerBound >= previousEnd && range.upperBound <= fetched.batches[0].range.upperBound)
                previousEnd = range.upperBound
                #expect(fetched.key(of: view).map(Array.init) == (index % 2 == 0 ? nil : Array("k\(index)".utf8)))
                #expect(try fetched.headers(of: view) == [RecordHeader("i", [UInt8(index)])])
            }
            #expect(fetched.nextOffset == 10)
            #expect(try fetched.decodedRecords().map(\.value) == values[4...].map { Optional($0) })
        }
    }

    @Test func multiPartitionFetchAnswersEachPartition() throws {
        try withClient { _, client in
            try client.createTopic("multi", partitions: 3)
            let producer = try KafkaProducer(client: client)
            for partition in Int32(0)..<3 {
                for index in 0..<Int(partition + 1) {
                    try producer.send(topic: "multi", value: [UInt8(index)], partition: partition)
                }
            }
            _ = try producer.flush()
            producer.close()
            var positions: [TopicPartition: Int64] = [:]
            for partition in Int32(0)..<3 { positions[TopicPartition(topic: "multi", partition: partition)] = 0 }
            positions[TopicPartition(topic: "multi", partition: 1)] = 50
            let results = client.fetch(positions, options: FetchOptions(maxWaitMs: 0))
            #expect(try results[TopicPartition(topic: "multi", partition: 0)]?.get().recordViews().count == 1)
            #expect(try results[TopicPartition(topic: "multi", partition: 2)]?.get().recordViews().count == 3)
            guard
                case .failure(.offsetOutOfRange(_, 1, 50, _, 2))? = results[
                    TopicPartition(topic: "multi", partition: 1)]
            else {
                Issue.record(
                    "partition 1 should be out of range, got \(String(describing: results[TopicPartition(topic: "multi", partition: 1)]))"
                )
                return
            }
        }
    }

    @Test func listOffsetsFindsEarliestLatestAndByTimestamp() throws {
        try withClient { _, client in
            try client.createTopic("times", partitions: 1)
            let producer = try KafkaProducer(client: client)
            // A batch per record: Spate's broker answers timestamp lookups at batch granularity.
            for index in 0..<6 {
                try producer.send(
                    topic: "times", value: [UInt8(index)], timestampMs: 1_700_000_000_000 + Int64(index) * 1000)
                _ = try producer.flush()
            }
            producer.close()
            #expect(try client.offsets(topic: "times", at: .earliest) == [0: 0])
            #expect(try client.offsets(topic: "times", at: .latest) == [0: 6])
            let third = try client.listOffsets(topic: "times", at: .timestamp(1_700_000_002_500))
            #expect(third[0] == ListedOffset(offset: 3, timestampMs: 1_700_000_003_000))
            let beyond = try client.listOffsets(topic: "times", at: .timestamp(1_800_000_000_000))
            #expect(beyond[0]?.offset == nil)
        }
    }
}
