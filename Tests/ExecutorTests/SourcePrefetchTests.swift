import Broker
import Foundation
import Query
import Testing
import Wire

@testable import Executor

/// The map side's read-ahead: the next range of a partition is fetched while a task works, and a
/// task that asks for it gets exactly the records a fresh fetch would give.
@Suite struct SourcePrefetchTests {
    static let topic = "prefetch-clicks"

    /// `count` distinct values, all in partition 0.
    static func values(_ count: Int) -> [[UInt8]] {
        (0..<count).map { Array("{\"n\":\($0),\"pad\":\"\(String(repeating: "x", count: $0 % 50))\"}".utf8) }
    }

    func reader(_ broker: TestBroker, prefetch: SourcePrefetch) -> SourceReader {
        SourceReader(
            client: broker.client, brokerAddress: broker.address, prefetch: prefetch,
            sizing: FetchSizing(fetchBytesMax: 1 << 20), inputBytesMax: 1 << 30, waitMs: 30_000, cancel: CancelFlag())
    }

    func range(_ start: Int64, _ end: Int64) -> SourceRange {
        SourceRange(topic: Self.topic, partition: 0, startOffset: start, endOffset: end)
    }

    /// A broker holding `count` values in partition 0, and a reader with its own read-ahead.
    func start(values count: Int, heldBytesMax: Int = 64 << 20) async throws
        -> (broker: TestBroker, values: [[UInt8]], prefetch: SourcePrefetch, reader: SourceReader)
    {
        let broker = try await TestBroker.start()
        let values = Self.values(count)
        try await broker.produce(topic: Self.topic, values: values, partitions: [Int32](repeating: 0, count: count))
        let prefetch = SourcePrefetch(heldBytesMax: heldBytesMax)
        return (broker, values, prefetch, reader(broker, prefetch: prefetch))
    }

    /// Record `index`'s value as the reader returned it.
    func strings(_ records: SourceRecords) -> [String] {
        (0..<records.count).map { String(decoding: records.value(at: $0) ?? [], as: UTF8.self) }
    }

    @Test func backToBackRangesAreReadAheadAndMatchWhatWasProduced() async throws {
        let (broker, values, prefetch, reader) = try await start(values: 30_000)
        var seen: [String] = []
        for start in stride(from: Int64(0), to: 30_000, by: 10_000) {
            let records = try await onThread { try reader.read(range(start, start + 10_000)) }
            #expect(records.offsets == Array(start..<start + 10_000))
            seen += strings(records)
        }
        await broker.stop()
        #expect(seen == values.map { String(decoding: $0, as: UTF8.self) })
        // The first range had nothing ahead of it; the second and third were read ahead. The last
        // range ends at the log's end, so nothing is fetched past it.
        #expect(prefetch.counts.hits == 2)
        #expect(prefetch.counts.misses == 0)
    }

    @Test func aReaderThatDoesNotReadAheadStillReadsEveryRange() async throws {
        let (broker, values, prefetch, _) = try await start(values: 30_000)
        var reader = reader(broker, prefetch: prefetch)
        reader.readsAhead = false
        var seen: [String] = []
        for start in stride(from: Int64(0), to: 30_000, by: 10_000) {
            let records = try await onThread { [reader] in try reader.read(range(start, start + 10_000)) }
            seen += strings(records)
        }
        await broker.stop()
        #expect(seen == values.map { String(decoding: $0, as: UTF8.self) })
        // With a backlog behind the first two ranges, a reading-ahead reader would have started two.
        #expect(prefetch.counts.hits == 0 && prefetch.counts.misses == 0)
    }

    @Test func aReadFromAnotherOffsetDropsTheReadAheadAndStillGetsItsOwnRecords() async throws {
        let (broker, values, prefetch, reader) = try await start(values: 20_000)
        _ = try await onThread { try reader.read(range(0, 10_000)) }
        // A retried batch of another plan: offsets 2,000..<19,000, not the 10,000 read ahead.
        let records = try await onThread { try reader.read(range(2_000, 19_000)) }
        await broker.stop()
        #expect(strings(records) == values[2_000..<19_000].map { String(decoding: $0, as: UTF8.self) })
        #expect(prefetch.counts.hits == 0)
        #expect(prefetch.counts.misses == 1)
    }

    @Test func readAheadsStopAtTheByteBound() async throws {
        // Smaller than any fetch the sizing asks for (64 KiB at least): nothing may be read ahead.
        let (broker, _, prefetch, reader) = try await start(values: 20_000, heldBytesMax: 1_000)
        let first = try await onThread { try reader.read(range(0, 10_000)) }
        let second = try await onThread { try reader.read(range(10_000, 20_000)) }
        await broker.stop()
        #expect(first.count == 10_000 && second.count == 10_000)
        #expect(prefetch.counts.hits == 0)
    }

    @Test func aJobNearTheLogsEndDoesNotReadAhead() async throws {
        let (broker, _, prefetch, reader) = try await start(values: 12_000)
        // 2,000 records remain past the first range: fewer than a read-ahead is worth.
        _ = try await onThread { try reader.read(range(0, 10_000)) }
        let rest = try await onThread { try reader.read(range(10_000, 12_000)) }
        await broker.stop()
        #expect(rest.offsets == Array(10_000..<12_000))
        #expect(prefetch.counts.hits == 0 && prefetch.counts.misses == 0)
    }
}
