import Foundation
import Testing
import Wire

@testable import Broker

/// Retention runs on the broker's background thread and removes whole old segments.
@Suite(.dedicatedThread) struct ServerRetentionTests {
    /// Segments whose records are older than retention-ms go; recent ones and the active one stay,
    /// and a fetch below the new log start gets OFFSET_OUT_OF_RANGE.
    @Test func retentionByTimeRemovesOldSegments() throws {
        try withBroker({ config in
            config.log = LogConfig(segmentBytes: 2048, retentionMs: 3_600_000)
            config.retentionCheckIntervalMs = 20
        }) { broker in
            let client = try TestKafkaClient(broker)
            let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
            // Batches of about 1.7 KiB take a 2 KiB segment each: ten old ones (1970), then recent ones.
            for number in 0..<10 {
                _ = try client.produce(
                    "aged", makeBatch(count: 10, firstTimestampMs: 1_000 + Int64(number), valueBytes: 150))
            }
            for number in 0..<5 {
                _ = try client.produce(
                    "aged", makeBatch(count: 10, firstTimestampMs: nowMs + Int64(number), valueBytes: 150))
            }
            #expect(eventually { (try? client.listOffset("aged", timestamp: -2).offset) ?? 0 >= 100 })
            let start = try client.listOffset("aged", timestamp: -2).offset
            #expect(start == 100, "every old record and no recent one is gone")
            #expect(try client.listOffset("aged", timestamp: -1).offset == 150)
            #expect(try client.fetch("aged", offset: 0).errorCode == .offsetOutOfRange)
            #expect(try client.fetch("aged", offset: start).records?.isEmpty == false)
        }
    }

    /// retention-bytes keeps each partition at about its limit by removing the oldest segments.
    @Test func retentionBySizeRemovesOldestSegments() throws {
        try withBroker({ config in
            config.log = LogConfig(segmentBytes: 2048, retentionMs: nil, retentionBytes: 4096)
            config.retentionCheckIntervalMs = 20
        }) { broker in
            let client = try TestKafkaClient(broker)
            for number in 0..<40 {
                _ = try client.produce("sized", makeBatch(count: 5, firstTimestampMs: Int64(number), valueBytes: 50))
            }
            let log = try #require(broker.core.topics.topic("sized")?.partition(0)?.log)
            #expect(eventually { log.sizeBytes <= 4096 + 2048 && log.logStartOffset > 0 })
            #expect(log.sizeBytes >= 4096)
            #expect(try client.listOffset("sized", timestamp: -1).offset == 200)
        }
    }
}
