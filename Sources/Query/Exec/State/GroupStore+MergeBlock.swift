import Wire

/// The reduce side's hot path: groups merged into a state store straight from the bytes of a
/// checked shuffle block, each distinct value inserted from where it sits in the block.
extension GroupStore {
    /// One-slot accumulators of `layout`: scalar aggregates are read into them, then folded.
    static func scratchAccumulators(_ layout: GroupLayout) -> [Accumulator] {
        layout.aggregates.map {
            var accumulator = Accumulator($0, indexed: false, tracking: false)
            accumulator.appendSlot()
            return accumulator
        }
    }

    /// Checks one encoded group against `layout` (the bytes may be hostile) and returns its
    /// partition; adds its distinct/top_k values to `valueCounts`.
    static func checkGroup(
        from reader: inout ByteReader, layout: GroupLayout, partitions: Int, scratch: inout [Accumulator],
        valueCounts: inout [Int]
    ) throws(DecodeError) -> Int {
        let (keyRange, start) = try readIdentity(from: &reader, layout: layout)
        _ = try readWindowEnd(from: &reader, start: start, layout: layout)
        for index in scratch.indices { valueCounts[index] += try scratch[index].checkEncoded(from: &reader) }
        return reader.storage.withUnsafeBytes { all in
            partition(
                keyBytes: UnsafeRawBufferPointer(rebasing: all[keyRange]), start: start, layout: layout,
                partitions: partitions)
        }
    }

    /// Merges every group of `block` into this state store. The block was checked, so an error
    /// here means the check and the merge disagree about the format.
    mutating func merge(_ block: CheckedShuffleBlock) throws(DecodeError) {
        precondition(mode == .state, "blocks merge into state stores")
        // The merged table holds at least as many values as the block (for all but merging
        // sessions): room for them at once saves rebuilding the index at every doubling while a
        // new window fills, and never sizes it beyond what the merge needs. Blocks mostly repeat
        // the values of windows the table already holds, so reserving all of them would not.
        for index in accumulators.indices {
            let more = block.valueCounts[index] - accumulators[index].values.entries.count
            if more > 0 { accumulators[index].values.reserve(more: more) }
        }
        var scratch = Self.scratchAccumulators(layout)
        var reader = ByteReader(block.bytes, range: block.groupsAt..<block.bytes.count)
        for _ in 0..<block.groupCount {
            let keyRange = try Accumulator.readValueRange(&reader)
            let start = try reader.readVarint64()
            let end = try reader.readVarint64()
            let key = block.bytes.withUnsafeBytes { internKey(UnsafeRawBufferPointer(rebasing: $0[keyRange])) }
            let target =
                layout.window == .session
                ? mergeSession(key: key, start: start, end: end) : slot(key: key, start: start, end: end)
            for index in accumulators.indices {
                try accumulators[index].mergeEncoded(from: &reader, into: target, scratch: &scratch[index])
            }
            markChanged(target)
        }
    }
}
