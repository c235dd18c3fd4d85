import Synchronization

/// Sizes each fetch to the bytes the rest of a range needs, from the bytes per offset seen in
/// earlier fetches of the same partition. A map task then usually gets its whole range in one
/// fetch, whose buffer its records point into: no concatenation, and the broker does not read
/// far past the range's end.
final class FetchSizing: Sendable {
    /// The smallest fetch asked for.
    static let fetchBytesMin: Int32 = 64 << 10
    /// Bytes per offset assumed for a partition never read before (a generous JSON event).
    static let initialBytesPerOffset = 512.0
    /// The most a partition's first fetch asks for.
    static let probeBytes: Int32 = 1 << 20
    /// Headroom over the estimate, so a slightly larger stretch of records still fits one fetch.
    /// Small, because a read-ahead's bytes past its range are sent, received and walked for nothing
    /// (the next batch fetches from the range's end again): at 10% that was a tenth of the fetch
    /// path's CPU. A stream's bytes per record change little from one batch to the next; a range
    /// that needs more gets one more fetch for the rest (and the two answers copied into one buffer).
    static let headroom = 1.03

    private let bytesPerOffset = Mutex<[String: Double]>([:])
    /// The largest fetch asked for.
    let fetchBytesMax: Int32

    init(fetchBytesMax: Int32) {
        precondition(fetchBytesMax >= Self.fetchBytesMin, "fetchBytesMax below the minimum fetch")
        self.fetchBytesMax = fetchBytesMax
    }

    /// Bytes to ask for to cover `offsets` more offsets of `topic`/`partition`. A partition never
    /// read before gets a probe of at most `probeBytes` first: a guess at its bytes per offset
    /// can be off several times over, and an overshoot costs the broker, the socket and the
    /// client the whole excess (a first 125,000-record read took 100 ms asking for 70 MB where
    /// 25 MB were needed); the probe's answer sizes the rest exactly.
    func bytes(topic: String, partition: Int32, offsets: Int64) -> Int32 {
        let known = bytesPerOffset.withLock { $0[Self.key(topic, partition)] }
        let perOffset = known ?? Self.initialBytesPerOffset
        let wanted = Double(max(0, offsets)) * perOffset * Self.headroom + Double(Self.fetchBytesMin)
        let ceiling = known == nil ? min(fetchBytesMax, Self.probeBytes) : fetchBytesMax
        return Int32(min(Double(ceiling), max(Double(Self.fetchBytesMin), wanted)))
    }

    /// True once a fetch of `topic`/`partition` was noted, so `bytes` no longer answers with a probe.
    func knows(topic: String, partition: Int32) -> Bool {
        bytesPerOffset.withLock { $0[Self.key(topic, partition)] != nil }
    }

    /// Records that `bytes` of fetched batches covered `offsets` offsets.
    func note(topic: String, partition: Int32, bytes: Int, offsets: Int64) {
        guard offsets > 0, bytes > 0 else { return }
        let perOffset = Double(bytes) / Double(offsets)
        bytesPerOffset.withLock { $0[Self.key(topic, partition)] = perOffset }
    }

    private static func key(_ topic: String, _ partition: Int32) -> String { "\(topic)/\(partition)" }
}
