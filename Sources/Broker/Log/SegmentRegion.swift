/// Bytes `[position, position + count)` of one segment file: whole batches a fetch found, sent
/// later with sendfile. Holding it holds the file, so its descriptor stays valid even after
/// retention unlinked the segment; the bytes never change, since a segment is only appended to.
struct SegmentRegion: Sendable {
    let file: SegmentFile
    let position: Int64
    let count: Int

    /// The region's bytes, read with pread.
    func bytes() throws(LogError) -> [UInt8] {
        let bytes = try file.read(at: position, count: count)
        guard bytes.count == count else {
            throw .corruptSegment(path: file.path, position: position, reason: "file shrank under a read")
        }
        return bytes
    }
}

/// Whole batches located by `PartitionLog.readRegion`, not yet read.
struct LogRegionRead: Sendable {
    /// Where the batches are; nil at the log end.
    var region: SegmentRegion?
    /// Records in those batches.
    var recordCount: Int64
    /// Log end offset at the time of the read (the high watermark on a single node).
    var highWatermark: Int64
    /// Log start offset at the time of the read.
    var logStartOffset: Int64
}
