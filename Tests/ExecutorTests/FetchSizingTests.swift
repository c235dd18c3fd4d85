import Testing

@testable import Executor

/// Fetch sizes: a probe for a partition never read, then the bytes per offset it showed.
@Suite struct FetchSizingTests {
    @Test func aPartitionNeverReadGetsAProbeThenFetchesSizedByWhatItShowed() {
        let sizing = FetchSizing(fetchBytesMax: 240 << 20)
        // 125,000 offsets at the 512-byte guess would ask for about 70 MB.
        #expect(sizing.bytes(topic: "t", partition: 0, offsets: 125_000) == FetchSizing.probeBytes)
        sizing.note(topic: "t", partition: 0, bytes: 1_000_000, offsets: 5_000)
        // 200 bytes per offset with the headroom and the minimum fetch on top.
        let expected = Int32(125_000.0 * 200.0 * FetchSizing.headroom) + FetchSizing.fetchBytesMin
        #expect(abs(Int(sizing.bytes(topic: "t", partition: 0, offsets: 125_000)) - Int(expected)) <= 1)
        // Another partition of the same topic has not been seen yet.
        #expect(sizing.bytes(topic: "t", partition: 1, offsets: 125_000) == FetchSizing.probeBytes)
    }

    @Test func sizesStayWithinTheMinimumAndTheMaximum() {
        let sizing = FetchSizing(fetchBytesMax: 4 << 20)
        #expect(sizing.bytes(topic: "t", partition: 0, offsets: 0) == FetchSizing.fetchBytesMin)
        #expect(sizing.bytes(topic: "t", partition: 0, offsets: -5) == FetchSizing.fetchBytesMin)
        sizing.note(topic: "t", partition: 0, bytes: 10_000, offsets: 10)
        #expect(sizing.bytes(topic: "t", partition: 0, offsets: 1_000_000) == 4 << 20)
        #expect(sizing.bytes(topic: "t", partition: 0, offsets: 0) == FetchSizing.fetchBytesMin)
    }
}
