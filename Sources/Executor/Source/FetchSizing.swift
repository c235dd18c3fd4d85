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
    /// Headroom over the estimate, so a slightly larger stretch of records still fits one fetch.
    static let headroom = 1.1

    private let bytesPerOffset = Mutex<[String: Double]>([:])
    /// The largest fetch asked for.
    let fetchBytesMax: Int32

    init(fetchBytesMax: Int32) {
        precondition(fetchBytesMax >= Self.fetchBytesMin, "fetchBytesMax below the minimum fetch")
        self.fetchBytesMax = fetchBytesMax
    }

    /// Bytes to ask for to cover `offsets` more offsets of `topic`/`partition`.
    func bytes(topic: String, partition: Int32, offsets: Int64) -> Int32 {
        let perOffset = bytesPerOffset.withLock { $0[Self.key(topic, partition)] } ?? Self.initialBytesPerOffset
        let wanted = Double(max(0, offsets)) * perOffset * Self.headroom + Double(Self.fetchBytesMin)
        return Int32(min(Double(fetchBytesMax), max(Double(Self.fetchBytesMin), wanted)))
    }

    /// Records that `bytes` of fetched batches covered `offsets` offsets.
    func note(topic: String, partition: Int32, bytes: Int, offsets: Int64) {
        guard offsets > 0, bytes > 0 else { return }
        let perOffset = Double(bytes) / Double(offsets)
        bytesPerOffset.withLock { $0[Self.key(topic, partition)] = perOffset }
    }

    private static func key(_ topic: String, _ partition: Int32) -> String { "\(topic)/\(partition)" }
}
