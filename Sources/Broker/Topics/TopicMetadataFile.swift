import Wire

/// One topic as the metadata file records it.
struct TopicRecord: Equatable, Sendable {
    var name: String
    var partitionCount: Int32
    /// Wall-clock creation time, for display.
    var createdMs: Int64
}

/// `<data-dir>/topics.meta`: every topic and its partition count. Rewritten whole on each change
/// (temporary file, fsync, rename), so a crash leaves either the old or the new list, never half.
///
/// Layout, big-endian: magic `SPTM`, format version u16, topic count u32, then per topic a STRING
/// name, i32 partition count and i64 creation time; last, the CRC-32C of everything before it.
enum TopicMetadataFile {
    static let fileName = "topics.meta"
    static let magic: [UInt8] = Array("SPTM".utf8)
    static let formatVersion: UInt16 = 1
    /// A bound on the topic count read back, so a corrupt count cannot allocate without end.
    static let topicsMax = 100_000

    static func encode(_ topics: [TopicRecord]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeBytes(magic)
        writer.writeInteger(formatVersion)
        writer.writeInteger(UInt32(topics.count))
        for topic in topics {
            writer.writeInt16String(topic.name)
            writer.writeInteger(topic.partitionCount)
            writer.writeInteger(topic.createdMs)
        }
        writer.writeInteger(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// What reading the file found.
    enum Decoded: Equatable {
        case topics([TopicRecord])
        /// Why the bytes cannot be trusted.
        case invalid(String)
    }

    /// The topics in `bytes`, or why they cannot be trusted.
    static func decode(_ bytes: [UInt8]) -> Decoded {
        guard bytes.count >= magic.count + 2 + 4 + 4, Array(bytes[0..<4]) == magic else {
            return .invalid("not a topic metadata file (bad magic or too short)")
        }
        let body = bytes.count - 4
        let stored = (try? ByteReader(bytes).getInteger(at: body, as: UInt32.self)) ?? 0
        guard CRC32C.checksum(bytes, range: 0..<body) == stored else { return .invalid("checksum mismatch") }
        var reader = ByteReader(bytes, range: 4..<body)
        do throws(DecodeError) {
            let version = try reader.readUInt16()
            guard version == formatVersion else {
                return .invalid("format version \(version); this broker reads version \(formatVersion)")
            }
            let count = Int(try reader.readUInt32())
            guard count <= topicsMax else { return .invalid("\(count) topics is over the limit of \(topicsMax)") }
            var topics: [TopicRecord] = []
            for _ in 0..<count {
                topics.append(
                    TopicRecord(
                        name: try reader.readInt16String(), partitionCount: try reader.readInt32(),
                        createdMs: try reader.readInt64()))
            }
            guard reader.isAtEnd else { return .invalid("\(reader.readableBytes) stray bytes after the topics") }
            return .topics(topics)
        } catch {
            return .invalid("malformed: \(error)")
        }
    }

    /// The topics recorded under `dataDirectory`, none if the file does not exist yet.
    static func load(dataDirectory: String) throws(TopicStoreError) -> [TopicRecord] {
        let path = dataDirectory + "/" + fileName
        guard Posix.exists(path) else { return [] }
        let bytes: [UInt8]
        do { bytes = try Posix.readFile(path) } catch { throw .io(error) }
        switch decode(bytes) {
        case .topics(let topics):
            for topic in topics where TopicName.problem(topic.name) != nil || topic.partitionCount <= 0 {
                throw .unsupportedFormat(
                    path: path, reason: "invalid topic entry \(topic.name)/\(topic.partitionCount)")
            }
            return topics
        case .invalid(let reason):
            throw .unsupportedFormat(path: path, reason: reason)
        }
    }

    /// Replaces the file under `dataDirectory` with `topics`, crash-safely.
    static func save(_ topics: [TopicRecord], dataDirectory: String) throws(TopicStoreError) {
        do {
            try Posix.writeFileAtomically(dataDirectory + "/" + fileName, encode(topics))
        } catch {
            throw .io(error)
        }
    }
}
