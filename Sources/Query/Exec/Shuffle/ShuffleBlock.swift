import Wire

/// Map output for one reduce partition: the partial aggregates of the groups that hash to it.
/// Layout: format version (u8), the plan's group-layout fingerprint (u64), partition and
/// partition count (uvarints), group count (uvarint), then the groups (`GroupStore+Codec`).
public enum ShuffleBlock {
    /// The format version, the first byte of every block.
    public static let formatVersion: UInt8 = 2

    /// One block per reduce partition, each holding the groups of `store` that hash to it.
    static func encode(_ store: GroupStore, partitions: Int) -> [[UInt8]] {
        precondition(partitions > 0, "a shuffle needs at least one partition")
        var members = [[Int32]](repeating: [], count: partitions)
        for slot in store.liveSlots { members[store.partition(of: slot, partitions: partitions)].append(slot) }
        return members.enumerated().map { partition, slots in
            var writer = ByteWriter(capacity: 32 + slots.count * 32)
            writer.writeByte(formatVersion)
            writer.writeInteger(store.layout.fingerprint)
            writer.writeUVarint(UInt64(partition))
            writer.writeUVarint(UInt64(partitions))
            writer.writeUVarint(UInt64(slots.count))
            for slot in slots { store.encodeGroup(slot, into: &writer, sorted: false) }
            return writer.bytes
        }
    }

    /// The groups of a block meant for `partition` of `partitions` as a store (to inspect a block;
    /// reduce tasks merge `check`ed blocks straight from their bytes); hostile bytes give a typed error.
    static func decode(_ bytes: [UInt8], layout: GroupLayout, partition: Int, partitions: Int) throws(ShuffleBlockError)
        -> GroupStore
    {
        var reader = ByteReader(bytes)
        var store = GroupStore(layout: layout, mode: .list)
        do {
            let count = try readHeader(&reader, layout: layout, partition: partition, partitions: partitions)
            for _ in 0..<count {
                let slot = try store.decodeGroup(from: &reader)
                let home = store.partition(of: slot, partitions: partitions)
                guard home == partition else {
                    throw ShuffleBlockError.wrongPartition(expected: partition, found: home, partitions: partitions)
                }
            }
            guard reader.isAtEnd else {
                throw DecodeError.invalidValue(
                    "\(reader.readableBytes) bytes after the last group", at: reader.readerIndex)
            }
        } catch {
            throw refusal(error, at: reader.readerIndex)
        }
        return store
    }

    /// What a reduce task reports for an error met while reading a block at `index`.
    static func refusal(_ error: any Error, at index: Int) -> ShuffleBlockError {
        if let error = error as? ShuffleBlockError { return error }
        if let error = error as? DecodeError { return .malformed(error) }
        return .malformed(.invalidValue("\(error)", at: index))
    }
}

/// Why a reduce task refused a shuffle block.
public enum ShuffleBlockError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are truncated or not a well-formed block.
    case malformed(DecodeError)
    /// The block's format version is not one this build reads.
    case unsupportedVersion(UInt8)
    /// The block was written for a different aggregation (another plan's groups or aggregates).
    case layoutMismatch
    /// The block, or a group in it, belongs to another reduce partition.
    case wrongPartition(expected: Int, found: Int, partitions: Int)

    public var description: String {
        switch self {
        case .malformed(let error): "malformed shuffle block: \(error)"
        case .unsupportedVersion(let version): "shuffle block format version \(version) is not supported"
        case .layoutMismatch: "the shuffle block was written for a different aggregation"
        case .wrongPartition(let expected, let found, let partitions):
            "the shuffle block holds partition \(found) of \(partitions), not partition \(expected)"
        }
    }
}
