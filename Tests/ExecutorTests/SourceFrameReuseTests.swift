import Broker
import Foundation
import Query
import Testing
import Wire

@testable import Executor

/// Map tasks hand their fetched frame back when done; later reads, read-aheads included, reuse it
/// and still give exactly the records that were produced.
@Suite struct SourceFrameReuseTests {
    static let topic = "reuse-clicks"

    /// `count` distinct values of about 200 bytes, so a 10,000-record range is a frame of megabytes.
    static func values(_ count: Int) -> [[UInt8]] {
        (0..<count).map { Array("{\"n\":\($0),\"pad\":\"\(String(repeating: "y", count: 100 + $0 % 100))\"}".utf8) }
    }

    @Test func backToBackRangesReuseHandedBackFramesAndMatchWhatWasProduced() async throws {
        let broker = try await TestBroker.start()
        let count = 50_000
        let values = Self.values(count)
        try await broker.produce(topic: Self.topic, values: values, partitions: [Int32](repeating: 0, count: count))
        let prefetch = SourcePrefetch(heldBytesMax: 64 << 20)
        let reader = SourceReader(
            client: broker.client, brokerAddress: broker.address, prefetch: prefetch,
            sizing: FetchSizing(fetchBytesMax: 16 << 20), inputBytesMax: 1 << 30, waitMs: 30_000, cancel: CancelFlag())
        let rangeRecords = Int(SourceReader.readAheadOffsetsMin)
        let mismatches = try await onThread { () throws -> Int in
            var mismatches = 0
            for start in stride(from: 0, to: count, by: rangeRecords) {
                let range = SourceRange(
                    topic: Self.topic, partition: 0, startOffset: Int64(start), endOffset: Int64(start + rangeRecords))
                var records = try reader.read(range)
                if records.offsets != (Int64(start)..<Int64(start + rangeRecords)).map({ $0 }) { mismatches += 1 }
                for index in 0..<records.count where records.value(at: index) != values[start + index] {
                    mismatches += 1
                }
                reader.recycle(&records)
                if !records.buffer.isEmpty { mismatches += 1 }
            }
            return mismatches
        }
        let counts = broker.client.frameBuffers.counts
        await broker.stop()
        #expect(mismatches == 0)
        #expect(prefetch.counts.hits == 4)
        // Five ranges: the first two frames are fresh, the later ones reuse what earlier tasks handed back.
        #expect(counts.reused >= 3)
        #expect(counts.copiedOnTake == 0)
    }
}
