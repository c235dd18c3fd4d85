import Wire

/// Builds a response frame as a list of chunks: encoded fields gather in a `ByteWriter`, and large
/// record blobs join as chunks of their own (bytes by reference, or a segment region that goes out
/// with sendfile), so fetched records reach the socket without being copied into the frame.
struct ChunkedFrameWriter {
    /// Blobs up to this size are copied inline; a chunk of its own is not worth it below that.
    static let inlineBytesMax = 4096

    private var chunks: [ResponseChunk] = []
    private(set) var writer = ByteWriter()
    private var flushedBytes = 0

    /// Starts a frame: size prefix placeholder, then the response header v0 (correlation id).
    init(correlationId: Int32) {
        writer.writeInteger(Int32(0))
        writer.writeInteger(correlationId)
    }

    /// Appends `bytes` behind what was written, by reference when large (a log read is all of its
    /// own array, so it goes out as it is).
    mutating func appendBlob(_ bytes: SharedBytes) {
        guard bytes.count > Self.inlineBytesMax else {
            writer.writeBytes(bytes.bytes)
            return
        }
        flushWriter()
        chunks.append(.bytes(bytes.array))
        flushedBytes += bytes.count
    }

    /// Appends a segment region behind what was written, to be sent from the file.
    mutating func appendRegion(_ region: SegmentRegion) {
        flushWriter()
        chunks.append(.region(region))
        flushedBytes += region.count
    }

    /// Runs `body` on the field writer.
    mutating func write(_ body: (inout ByteWriter) -> Void) { body(&writer) }

    private mutating func flushWriter() {
        guard writer.count > 0 else { return }
        chunks.append(.bytes(writer.bytes))
        flushedBytes += writer.count
        writer = ByteWriter()
    }

    /// The frame's chunks with the size prefix filled in.
    mutating func finish() -> [ResponseChunk] {
        flushWriter()
        // `init` wrote the prefix into the writer, so the first chunk is always bytes.
        guard case .bytes(var head) = chunks[0] else { preconditionFailure("a frame starts with its header bytes") }
        chunks[0] = .bytes([])
        let size = Int32(flushedBytes - KafkaFrame.sizePrefixBytes)
        withUnsafeBytes(of: size.bigEndian) { raw in
            for index in 0..<4 { head[index] = raw[index] }
        }
        chunks[0] = .bytes(head)
        return chunks
    }
}

extension FetchResponse {
    /// The whole response frame (header v0, G6 rules as `encode`) with record bytes as separate
    /// chunks; `regions[t][p]`, where present, is partition p of topic t's records in a segment file
    /// and stands in for its `records`.
    func frameChunks(version: Int16, correlationId: Int32, regions: [[SegmentRegion?]] = []) -> [ResponseChunk] {
        var frame = ChunkedFrameWriter(correlationId: correlationId)
        frame.write { writer in
            writer.writeInteger(throttleTimeMs)
            if version >= 7 {
                writer.writeErrorCode(errorCode)
                writer.writeInteger(sessionId)
            }
            writer.writeInteger(Int32(topics.count))
        }
        for (topicIndex, topic) in topics.enumerated() {
            frame.write { writer in
                writer.writeInt16String(topic.topic)
                writer.writeInteger(Int32(topic.partitions.count))
            }
            for (partitionIndex, partition) in topic.partitions.enumerated() {
                frame.write { writer in partition.encodeFields(into: &writer, version: version) }
                if topicIndex < regions.count, partitionIndex < regions[topicIndex].count,
                    let region = regions[topicIndex][partitionIndex]
                {
                    frame.write { writer in writer.writeInteger(Int32(region.count)) }
                    frame.appendRegion(region)
                    continue
                }
                let records = partition.records ?? []
                frame.write { writer in writer.writeInteger(Int32(records.count)) }
                frame.appendBlob(records)
            }
        }
        return frame.finish()
    }
}
