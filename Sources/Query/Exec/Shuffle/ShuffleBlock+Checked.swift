import Wire

/// A shuffle block whose bytes were checked against the layout and the partition, merged into
/// state straight from its bytes (`GroupStore.merge(_:)`) instead of through a decoded store:
/// building a store first listed every value once more only to read it back.
struct CheckedShuffleBlock: Sendable {
    /// The block.
    let bytes: [UInt8]
    /// Where the first group starts.
    let groupsAt: Int
    /// Groups in the block.
    let groupCount: Int
    /// Per accumulator, the distinct/top_k values the block holds (room to reserve before merging).
    let valueCounts: [Int]
}

extension ShuffleBlock {
    /// Checks a block meant for `partition` of `partitions` without copying it anywhere; hostile
    /// bytes give the same typed errors `decode` gives.
    static func check(_ bytes: [UInt8], layout: GroupLayout, partition: Int, partitions: Int)
        throws(ShuffleBlockError) -> CheckedShuffleBlock
    {
        var reader = ByteReader(bytes)
        var scratch = GroupStore.scratchAccumulators(layout)
        var valueCounts = [Int](repeating: 0, count: layout.aggregates.count)
        do {
            let count = try readHeader(&reader, layout: layout, partition: partition, partitions: partitions)
            let groupsAt = reader.readerIndex
            for _ in 0..<count {
                let home = try GroupStore.checkGroup(
                    from: &reader, layout: layout, partitions: partitions, scratch: &scratch, valueCounts: &valueCounts)
                guard home == partition else {
                    throw ShuffleBlockError.wrongPartition(expected: partition, found: home, partitions: partitions)
                }
            }
            guard reader.isAtEnd else {
                throw DecodeError.invalidValue(
                    "\(reader.readableBytes) bytes after the last group", at: reader.readerIndex)
            }
            return CheckedShuffleBlock(bytes: bytes, groupsAt: groupsAt, groupCount: count, valueCounts: valueCounts)
        } catch {
            throw refusal(error, at: reader.readerIndex)
        }
    }

    /// Reads and checks a block's header; returns its group count.
    static func readHeader(_ reader: inout ByteReader, layout: GroupLayout, partition: Int, partitions: Int) throws
        -> Int
    {
        let version = try reader.readUInt8()
        guard version == formatVersion else { throw ShuffleBlockError.unsupportedVersion(version) }
        let fingerprint = try reader.readUInt64()
        guard fingerprint == layout.fingerprint else { throw ShuffleBlockError.layoutMismatch }
        let blockPartition = try reader.readUVarint64()
        let blockPartitions = try reader.readUVarint64()
        guard blockPartition == UInt64(partition), blockPartitions == UInt64(partitions) else {
            throw ShuffleBlockError.wrongPartition(
                expected: partition, found: Int(clamping: blockPartition), partitions: Int(clamping: blockPartitions))
        }
        let countAt = reader.readerIndex
        let count = try reader.readUVarint64()
        guard count <= UInt64(reader.readableBytes) else {
            throw DecodeError.lengthTooLarge(Int(clamping: count), limit: reader.readableBytes, at: countAt)
        }
        return Int(count)
    }
}
