import Testing

@testable import Broker

@Suite(.dedicatedThread) struct LogIndexTests {
    /// Batches of 100 bytes, 2 offsets each, with a 250-byte interval: entries at every third batch.
    private func sampleIndex() -> SegmentIndex {
        var index = SegmentIndex()
        let timestamps: [Int64] = [50, 40, 70, 60, 90, 80, 85, 120, 10]
        for (number, timestamp) in timestamps.enumerated() {
            index.record(
                relativeOffset: UInt32(number * 2), position: UInt32(number * 100), batchBytes: 100,
                maxTimestampMs: timestamp, intervalBytes: 250)
        }
        return index
    }

    @Test func entriesAreSparseAndLookupsFloor() {
        let index = sampleIndex()
        #expect(index.offsets.map(\.relativeOffset) == [6, 12])
        #expect(index.offsets.map(\.position) == [300, 600])
        #expect(index.times.map(\.timestampMs) == [70, 90])
        #expect(index.position(atOrBefore: 0) == 0 && index.position(atOrBefore: 5) == 0)
        #expect(index.position(atOrBefore: 6) == 300 && index.position(atOrBefore: 11) == 300)
        #expect(index.position(atOrBefore: 1000) == 600)
        #expect(index.relativeOffset(before: 70) == nil && index.relativeOffset(before: 71) == 6)
        #expect(index.relativeOffset(before: 1000) == 12)
        #expect(index.maxTimestampMs == 120)
    }

    @Test func sealingRecordsTheNewestTimestamp() {
        var index = sampleIndex()
        index.seal()
        #expect(index.times.last == .init(timestampMs: 120, relativeOffset: 16))
        #expect(SegmentIndex().maxTimestampMs == -1)
    }

    @Test func filesRoundTripAndRefuseDamage() throws {
        var index = sampleIndex()
        index.seal()
        let offsets = index.encodedOffsets()
        let times = index.encodedTimes()
        let decoded = try #require(SegmentIndex.decode(offsets: offsets, times: times, logBytes: 900))
        #expect(decoded.offsets == index.offsets && decoded.times == index.times)
        #expect(SegmentIndex.decode(offsets: offsets, times: times, logBytes: 600) == nil, "entry past the log")
        #expect(SegmentIndex.decode(offsets: Array(offsets.dropLast()), times: times, logBytes: 900) == nil)
        #expect(SegmentIndex.decode(offsets: times, times: offsets, logBytes: 900) == nil, "swapped magic")
        var reordered = offsets
        reordered.replaceSubrange(8..<16, with: offsets[16..<24])
        #expect(SegmentIndex.decode(offsets: reordered, times: times, logBytes: 900) == nil)
        var versioned = times
        versioned[7] = 2
        #expect(SegmentIndex.decode(offsets: offsets, times: versioned, logBytes: 900) == nil)
    }

    @Test func segmentNamesArePaddedToTwentyDigits() {
        #expect(SegmentName.stem(42) == "00000000000000000042")
        #expect(SegmentName.baseOffset(of: "00000000000000000042.log", suffix: ".log") == 42)
        #expect(SegmentName.baseOffset(of: "0000000000000000042.log", suffix: ".log") == nil)
        #expect(SegmentName.baseOffset(of: "0000000000000000004x.log", suffix: ".log") == nil)
        #expect(SegmentName.baseOffset(of: "00000000000000000042.index", suffix: ".log") == nil)
    }
}
