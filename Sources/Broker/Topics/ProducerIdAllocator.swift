import Synchronization
import Wire

/// Hands out idempotent-producer ids that never repeat, across restarts and `kill -9` alike.
///
/// Ids are reserved in blocks: before the first id of a block is handed out, the block's end is
/// written to `<data-dir>/producer-ids` (temporary file, fsync, rename). A restart resumes after
/// the recorded end, so ids handed out from an unfinished block are skipped, never reused.
///
/// File layout, big-endian: magic `SPPI`, format version u16, reserved end i64, CRC-32C of the rest.
final class ProducerIdAllocator: Sendable {
    static let fileName = "producer-ids"
    static let magic: [UInt8] = Array("SPPI".utf8)
    static let formatVersion: UInt16 = 1
    static let fileBytes = 4 + 2 + 8 + 4

    private struct State {
        var next: Int64
        /// Ids below this are recorded as used on disk.
        var reservedEnd: Int64
    }

    let path: String
    let blockSize: Int64
    private let state: Mutex<State>

    /// Opens the allocator under `dataDirectory`; no id below `floor` is handed out (the largest
    /// producer id found in the logs plus one, in case the file was lost).
    init(dataDirectory: String, floor: Int64, blockSize: Int64 = 1000) throws(TopicStoreError) {
        precondition(blockSize > 0, "blockSize must be positive")
        path = dataDirectory + "/" + Self.fileName
        self.blockSize = blockSize
        var recorded: Int64 = 0
        if Posix.exists(path) {
            let bytes: [UInt8]
            do throws(PosixError) { bytes = try Posix.readFile(path) } catch { throw .io(error) }
            guard let end = Self.decode(bytes) else {
                throw .unsupportedFormat(path: path, reason: "not a producer id file of format \(Self.formatVersion)")
            }
            recorded = end
        }
        let start = max(recorded, floor, 0)
        state = Mutex(State(next: start, reservedEnd: start))
    }

    /// A fresh producer id, persisting a new block first when the current one is used up.
    func next() throws(TopicStoreError) -> Int64 {
        try state.withLock { state throws(TopicStoreError) -> Int64 in
            if state.next >= state.reservedEnd {
                let (end, overflow) = state.next.addingReportingOverflow(blockSize)
                guard !overflow else { throw .unsupportedFormat(path: path, reason: "producer ids exhausted") }
                do throws(PosixError) {
                    try Posix.writeFileAtomically(path, Self.encode(reservedEnd: end))
                } catch {
                    throw .io(error)
                }
                state.reservedEnd = end
            }
            let id = state.next
            state.next += 1
            return id
        }
    }

    static func encode(reservedEnd: Int64) -> [UInt8] {
        var writer = ByteWriter(capacity: fileBytes)
        writer.writeBytes(magic)
        writer.writeInteger(formatVersion)
        writer.writeInteger(reservedEnd)
        writer.writeInteger(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// The reserved end recorded in `bytes`, nil unless the file is whole and of this format.
    static func decode(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count == fileBytes, Array(bytes[0..<4]) == magic else { return nil }
        let reader = ByteReader(bytes)
        guard let version = try? reader.getInteger(at: 4, as: UInt16.self), version == formatVersion,
            let end = try? reader.getInteger(at: 6, as: Int64.self),
            let crc = try? reader.getInteger(at: 14, as: UInt32.self),
            crc == CRC32C.checksum(bytes, range: 0..<14), end >= 0
        else { return nil }
        return end
    }
}
