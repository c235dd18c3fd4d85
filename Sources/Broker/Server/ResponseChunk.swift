/// One piece of a response frame as it goes out: bytes in memory, written with sendmsg, or a
/// region of a segment file (fetched record batches), written with sendfile from the page cache.
enum ResponseChunk: Sendable {
    case bytes([UInt8])
    case region(SegmentRegion)

    /// Bytes the chunk puts on the wire.
    var count: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .region(let region): region.count
        }
    }
}
