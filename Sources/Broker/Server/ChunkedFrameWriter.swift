import Wire

/// Builds a response frame as a list of chunks: encoded fields gather in a `ByteWriter`, and large
/// byte blobs (fetched record batches) are added by reference as chunks of their own, so the bytes
/// read from a segment reach `sendmsg` without being copied into the frame.
struct ChunkedFrameWriter {
    /// Blobs up to this size are copied inline; an iovec of its own is not worth it below that.
    static let inlineBytesMax = 4096

    private var chunks: [[UInt8]] = []
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
        chunks.append(bytes.array)
        flushedBytes += bytes.count
    }

    /// Runs `body` on the field writer.
    mutating func write(_ body: (inout ByteWriter) -> Void) { body(&writer) }

    private mutating func flushWriter() {
        guard writer.count > 0 else { return }
        chunks.append(writer.bytes)
        flushedBytes += writer.count
        writer = ByteWriter()
    }

    /// The frame's chunks with the size prefix filled in.
    mutating func finish() -> [[UInt8]] {
        flushWriter()
        let size = Int32(flushedBytes - KafkaFrame.sizePrefixBytes)
        withUnsafeBytes(of: size.bigEndian) { raw in
            for index in 0..<4 { chunks[0][index] = raw[index] }
        }
        return chunks
    }
}

extension FetchResponse {
    /// The whole response frame (header v0, G6 rules as `encode`) with record bytes as separate chunks.
    func frameChunks(version: Int16, correlationId: Int32) -> [[UInt8]] {
        var frame = ChunkedFrameWriter(correlationId: correlationId)
        frame.write { writer in
            writer.writeInteger(throttleTimeMs)
            if version >= 7 {
                writer.writeErrorCode(errorCode)
                writer.writeInteger(sessionId)
            }
            writer.writeInteger(Int32(topics.count))
        }
        for topic in topics {
            frame.write { writer in
                writer.writeInt16String(topic.topic)
                writer.writeInteger(Int32(topic.partitions.count))
            }
            for partition in topic.partitions {
                frame.write { writer in partition.encodeFields(into: &writer, version: version) }
                let records = partition.records ?? []
                frame.write { writer in writer.writeInteger(Int32(records.count)) }
                frame.appendBlob(records)
            }
        }
        return frame.finish()
    }
}
