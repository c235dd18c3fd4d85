import Wire

/// One group as bytes, the unit of shuffle blocks, state snapshots and deltas: key bytes (uvarint
/// length first), window start and end (zig-zag varints), then each accumulator's state.
extension GroupStore {
    /// Writes group `slot`. With `changed` (from `changedValues()`), distinct/top_k values are
    /// limited to those changed this batch, in the order they changed (which replaying the same
    /// blocks repeats); otherwise all are written, in byte order when `sorted`.
    func encodeGroup(_ slot: Int32, into writer: inout ByteWriter, changed: [ChangedEntries]? = nil, sorted: Bool) {
        writeIdentity(slot, into: &writer)
        writer.writeVarint64(windowEnd[Int(slot)])
        for (index, accumulator) in accumulators.enumerated() {
            let entries = changed.map { $0[index].entries(of: slot) }
            accumulator.encode(slot, into: &writer, entries: entries, sorted: sorted && entries == nil)
        }
    }

    /// Per accumulator, the distinct/top_k entries changed this batch, by slot.
    func changedValues() -> [ChangedEntries] {
        accumulators.map { ChangedEntries($0.values, slotCount: slotCount) }
    }

    /// Writes the key bytes and window start, which identify a group.
    func writeIdentity(_ slot: Int32, into writer: inout ByteWriter) {
        withKeyBytes(of: slot) { key in
            writer.writeUVarint(UInt64(key.count))
            writer.writeBytes(key)
        }
        writer.writeVarint64(windowStart[Int(slot)])
    }

    /// Reads one group into this list-mode store, checking it against the layout.
    @discardableResult
    mutating func decodeGroup(from reader: inout ByteReader) throws(DecodeError) -> Int32 {
        precondition(mode == .list, "groups are decoded into list stores")
        let (keyRange, start) = try readIdentity(from: &reader)
        let end = try Self.readWindowEnd(from: &reader, start: start, layout: layout)
        let slot = reader.storage.withUnsafeBytes { all in
            appendListGroup(keyBytes: UnsafeRawBufferPointer(rebasing: all[keyRange]), start: start, end: end)
        }
        for index in accumulators.indices { try accumulators[index].decodeSlot(slot, from: &reader) }
        return slot
    }

    /// Reads a group identity, checking the key bytes against the layout's key types.
    func readIdentity(from reader: inout ByteReader) throws(DecodeError) -> (key: Range<Int>, start: Int64) {
        try Self.readIdentity(from: &reader, layout: layout)
    }

    /// `readIdentity` for a store of `layout`.
    static func readIdentity(from reader: inout ByteReader, layout: GroupLayout) throws(DecodeError) -> (
        key: Range<Int>, start: Int64
    ) {
        let keyAt = reader.readerIndex
        let keyRange = try Accumulator.readValueRange(&reader)
        guard KeyCodec.decode(Array(reader.storage[keyRange]), types: layout.keyTypes) != nil else {
            throw .invalidValue("group key does not match the key types", at: keyAt)
        }
        return (keyRange, try reader.readVarint64())
    }

    /// Reads a group's window end, checking the window against the layout.
    static func readWindowEnd(from reader: inout ByteReader, start: Int64, layout: GroupLayout) throws(DecodeError)
        -> Int64
    {
        let endAt = reader.readerIndex
        let end = try reader.readVarint64()
        if layout.isWindowed {
            guard start < end else { throw .invalidValue("window [\(start), \(end)) is empty", at: endAt) }
        } else {
            guard start == 0 && end == 0 else { throw .invalidValue("an unwindowed group has a window", at: endAt) }
        }
        return end
    }
}

/// A value table's entries changed this batch, grouped by slot (a counting sort over the dense
/// slot numbers, rather than a dictionary append per entry), each slot's in the order they changed.
struct ChangedEntries {
    /// Per slot, where its entries start in `ordered`; one more at the end.
    private var starts: [Int]
    private var ordered: [Int32]

    init(_ table: SlotValueTable, slotCount: Int) {
        starts = [Int](repeating: 0, count: slotCount + 2)
        ordered = [Int32](repeating: 0, count: table.changedCount)
        guard !ordered.isEmpty else { return }
        table.forEachChanged { starts[Int(table.slot(of: $0)) + 2] += 1 }
        for slot in 0..<slotCount { starts[slot + 2] += starts[slot + 1] }
        table.forEachChanged { entry in
            let at = Int(table.slot(of: entry)) + 1
            ordered[starts[at]] = entry
            starts[at] += 1
        }
    }

    /// The changed entries of `slot`.
    func entries(of slot: Int32) -> [Int32] {
        let index = Int(slot)
        guard index + 1 < starts.count else { return [] }
        return Array(ordered[starts[index]..<starts[index + 1]])
    }
}
