import Wire

/// The byte layout of `__consumer_offsets/commits.log` (all integers big-endian):
///
///     header  = magic "SPOC" (4) | format version UInt32 (4)
///     entry   = payload length UInt32 | CRC-32C of payload UInt32 | payload
///     payload = kind UInt8 (1 = offsets) | group (UInt32 length + UTF-8) | record count UInt32 | records
///     record  = topic (UInt32 length + UTF-8) | partition Int32 | offset Int64 | leader epoch Int32
///               | metadata (UInt32 length + UTF-8) | commit timestamp ms Int64 | sequence UInt64
///
/// Replay stops at the first entry that is incomplete, oversized, fails its CRC or does not
/// decode; everything from there on is a torn tail to cut.
enum OffsetLogFormat {
    static let magic: [UInt8] = Array("SPOC".utf8)
    static let version: UInt32 = 1
    static let headerBytes = 8
    static let entryHeaderBytes = 8
    static let kindOffsets: UInt8 = 1
    /// Entries are cut near this size, so replay never needs a huge contiguous entry.
    static let payloadBytesTarget = 1 << 20
    /// Anything larger is corruption, not an entry (a record's strings are at most ~100 KiB).
    static let payloadBytesMax = 4 << 20

    static func header() -> [UInt8] {
        var writer = ByteWriter(capacity: headerBytes)
        writer.writeBytes(magic)
        writer.writeInteger(version)
        return writer.bytes
    }

    /// Checks the header; returns why it is unacceptable, nil if it is fine.
    static func headerProblem(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= headerBytes else { return "file is \(bytes.count) bytes, shorter than the header" }
        guard Array(bytes[0..<4]) == magic else { return "bad magic \(Array(bytes[0..<4]))" }
        let found = bytes[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return found == version ? nil : "format version \(found), expected \(version)"
    }

    /// Entries for one group's values, each payload near `payloadBytesTarget`.
    static func encodeEntries(groupId: String, _ entries: [OffsetCommitBatch.Entry]) -> [UInt8] {
        var out = ByteWriter()
        var start = 0
        while start < entries.count {
            var payload = ByteWriter()
            payload.writeInteger(kindOffsets)
            writeString(groupId, into: &payload)
            let countAt = payload.count
            payload.writeInteger(UInt32(0))
            var end = start
            while end < entries.count && (end == start || payload.count < payloadBytesTarget) {
                writeRecord(entries[end], into: &payload)
                end += 1
            }
            payload.setInteger(UInt32(end - start), at: countAt)
            out.writeInteger(UInt32(payload.count))
            out.writeInteger(CRC32C.checksum(payload.bytes))
            out.writeBytes(payload.bytes)
            start = end
        }
        return out.bytes
    }

    /// Replays a whole file after its header: every intact batch, and where the intact part ends.
    static func replay(_ bytes: [UInt8]) -> (batches: [OffsetCommitBatch], validBytes: Int) {
        var batches: [OffsetCommitBatch] = []
        var position = headerBytes
        while bytes.count - position >= entryHeaderBytes {
            var reader = ByteReader(bytes, range: position..<bytes.count)
            guard let length = try? Int(reader.readUInt32()), let crc = try? reader.readUInt32(),
                length <= payloadBytesMax, length <= reader.readableBytes
            else { break }
            let payloadRange = position + entryHeaderBytes..<position + entryHeaderBytes + length
            guard CRC32C.checksum(bytes, range: payloadRange) == crc,
                let batch = try? decodePayload(ByteReader(bytes, range: payloadRange))
            else { break }
            batches.append(batch)
            position = payloadRange.upperBound
        }
        return (batches, position)
    }

    private static func decodePayload(_ payload: ByteReader) throws(DecodeError) -> OffsetCommitBatch {
        var reader = payload
        let kind = try reader.readUInt8()
        guard kind == kindOffsets else { throw .invalidValue("entry kind \(kind)", at: reader.readerIndex - 1) }
        let groupId = try readString(&reader)
        let count = Int(try reader.readUInt32())
        // 40 bytes is the smallest record; a count beyond that is a lie, not an allocation to make.
        guard count <= reader.readableBytes / 40 else { throw .invalidLength(count, at: reader.readerIndex - 4) }
        var entries: [OffsetCommitBatch.Entry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count { entries.append(try readRecord(&reader)) }
        guard reader.isAtEnd else {
            throw .invalidValue("\(reader.readableBytes) trailing bytes", at: reader.readerIndex)
        }
        return OffsetCommitBatch(groupId: groupId, entries: entries)
    }

    private static func writeRecord(_ entry: OffsetCommitBatch.Entry, into writer: inout ByteWriter) {
        writeString(entry.topicPartition.topic, into: &writer)
        writer.writeInteger(entry.topicPartition.partition)
        writer.writeInteger(entry.value.offset)
        writer.writeInteger(entry.value.leaderEpoch)
        writeString(entry.value.metadata, into: &writer)
        writer.writeInteger(entry.value.commitTimestampMs)
        writer.writeInteger(entry.value.sequence)
    }

    private static func readRecord(_ reader: inout ByteReader) throws(DecodeError) -> OffsetCommitBatch.Entry {
        let topic = try readString(&reader)
        let partition = try reader.readInt32()
        let offset = try reader.readInt64()
        let leaderEpoch = try reader.readInt32()
        let metadata = try readString(&reader)
        let value = CommittedOffset(
            offset: offset, leaderEpoch: leaderEpoch, metadata: metadata, commitTimestampMs: try reader.readInt64(),
            sequence: try reader.readUInt64())
        return OffsetCommitBatch.Entry(topicPartition: TopicPartition(topic: topic, partition: partition), value: value)
    }

    private static func writeString(_ text: String, into writer: inout ByteWriter) {
        writer.writeInteger(UInt32(text.utf8.count))
        writer.writeBytes(Array(text.utf8))
    }

    private static func readString(_ reader: inout ByteReader) throws(DecodeError) -> String {
        try reader.readUTF8(count: Int(try reader.readUInt32()))
    }
}
