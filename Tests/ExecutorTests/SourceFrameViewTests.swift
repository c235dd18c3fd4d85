import Broker
import Query
import Testing

@testable import Executor

/// A fetch's records are a view into the response frame, at some position inside it; the source
/// side walks them there and hands the frame to the map task as it is, or gathers the record bytes
/// of several fetches into one buffer, with every value where it belongs.
@Suite struct SourceFrameViewTests {
    /// One batch of `values` from `baseOffset` (nil values are tombstones).
    static func batch(_ values: [[UInt8]?], baseOffset: Int64) -> [UInt8] {
        var builder = RecordBatchBuilder()
        for (index, value) in values.enumerated() {
            builder.append(timestampMs: 1_000 + baseOffset + Int64(index), key: nil, value: value)
        }
        return builder.finish(baseOffset: baseOffset)
    }

    /// `records` inside a larger array, between `before` and `after` bytes of other data, as a
    /// partition's records sit inside a response frame.
    static func fetched(_ records: [UInt8], before: Int, after: Int, fetchOffset: Int64) throws -> FetchedPartition {
        let frame = [UInt8](repeating: 0xAB, count: before) + records + [UInt8](repeating: 0xCD, count: after)
        return try FetchedPartition(
            topic: "frames", partition: 0, fetchOffset: fetchOffset, highWatermark: 100,
            records: SharedBytes(frame, range: before..<(before + records.count)))
    }

    static func values(_ records: SourceRecords) -> [[UInt8]?] { (0..<records.count).map { records.value(at: $0) } }

    @Test func oneFetchIsHandedOnAsItsFrame() throws {
        let values: [[UInt8]?] = [Array("one".utf8), nil, Array("three".utf8), []]
        let fetched = try Self.fetched(Self.batch(values, baseOffset: 10), before: 37, after: 90, fetchOffset: 11)
        let walked = try WalkedFetch(fetched, below: 13)
        var collected = CollectedRecords()
        collected.add(walked)
        let records = collected.records(partition: 0)
        #expect(records.offsets == [11, 12])
        #expect(Self.values(records) == Array(values[1...2]))
        #expect(records.timestampsMs == [1_011, 1_012])
        // No copy: the map task reads the frame itself.
        #expect(records.buffer.count == 37 + fetched.records.count + 90)
    }

    @Test func severalFetchesAreGatheredWithEveryValueInPlace() throws {
        let first: [[UInt8]?] = (0..<5).map { Array("first \($0)".utf8) }
        let second: [[UInt8]?] = [nil, Array("second 1".utf8), [], Array("second 3 is longer".utf8)]
        let third: [[UInt8]?] = [Array("third 0".utf8), Array("third 1".utf8)]
        var collected = CollectedRecords()
        let parts = [
            try Self.fetched(Self.batch(first, baseOffset: 0), before: 61, after: 3, fetchOffset: 2),
            try Self.fetched(Self.batch(second, baseOffset: 5), before: 0, after: 200, fetchOffset: 5),
            try Self.fetched(Self.batch(third, baseOffset: 9), before: 1_000, after: 0, fetchOffset: 9),
        ]
        for part in parts { collected.add(try WalkedFetch(part, below: 10)) }
        let records = collected.records(partition: 0)
        #expect(records.offsets == Array(2..<10))
        #expect(Self.values(records) == Array(first[2...]) + second + third.prefix(1))
        // Only the record bytes are gathered, not the frames around them.
        #expect(records.buffer.count == parts.reduce(0) { $0 + $1.records.count })
        for index in 0..<records.count {
            #expect(records.valueStarts[index] >= 0 && records.valueStarts[index] <= records.buffer.count)
        }
    }

    /// A partition's first read asks for a probe of at most `FetchSizing.probeBytes`; when the range
    /// is larger, the probe is dropped and one fetch sized from it covers the whole range, whose
    /// frame the task then reads as it is.
    @Test func aRangeLargerThanTheProbeIsReadFromOneFrame() async throws {
        let broker = try await TestBroker.start()
        let values = (0..<12_000).map { Array("{\"n\":\($0),\"pad\":\"\(String(repeating: "p", count: 80))\"}".utf8) }
        #expect(values.reduce(0) { $0 + $1.count } > Int(FetchSizing.probeBytes))
        try await broker.produce(topic: "probe", values: values, partitions: [Int32](repeating: 0, count: values.count))
        let fetchesBefore = broker.broker.metrics.requestsByApi[.fetch] ?? 0
        let reader = SourceReader(
            client: broker.client, brokerAddress: broker.address, prefetch: SourcePrefetch(heldBytesMax: 64 << 20),
            sizing: FetchSizing(fetchBytesMax: 64 << 20), inputBytesMax: 1 << 30, waitMs: 30_000, cancel: CancelFlag())
        let range = SourceRange(topic: "probe", partition: 0, startOffset: 0, endOffset: Int64(values.count))
        let records = try await onThread { try reader.read(range) }
        let fetches = (broker.broker.metrics.requestsByApi[.fetch] ?? 0) - fetchesBefore
        await broker.stop()
        #expect(records.offsets == Array(0..<Int64(values.count)))
        #expect(Self.values(records) == values.map { Optional($0) })
        #expect(fetches == 2, "the probe, then the whole range")
        // A frame holds the response header before the first batch; a buffer gathered from several
        // fetches starts with the batch, whose first value sits under 100 bytes in.
        #expect(records.valueStarts[0] > 100)
    }
}
