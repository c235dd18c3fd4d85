import Wire

/// One group as bytes, the unit of shuffle blocks, state snapshots and deltas: key bytes (uvarint
/// length first), window start and end (zig-zag varints), then each accumulator's state.
extension GroupStore {
    /// Writes group `slot`. With `changed` (from `changedValues()`), distinct/top_k values are
    /// limited to those changed this batch, in the order they changed (which replaying the same
    /// blocks repeats); otherwise all are written, in byte order when `sorted`.
    func encodeGroup(_ slot: Int32, into writer: inout ByteWriter, changed: [[Int32: [Int32]]]? = nil, sorted: Bool) {
        writeIdentity(slot, into: &writer)
        writer.writeVarint64(windowEnd[Int(slot)])
        for (index, accumulator) in accumulators.enumerated() {
            let entries = changed.map { $0[index][slot] ?? [] }
            accumulator.encode(slot, into: &writer, entries: entries, sorted: sorted && entries == nil)
        }
    }

    /// Per accumulator, the distinct/top_k entries changed this batch, by slot.
    func changedValues() -> [[Int32: [Int32]]] {
        accumulators.map { accumulator in
            var bySlot: [Int32: [Int32]] = [:]
            for entry in accumulator.values.dirty {
                bySlot[accumulator.values.entries[Int(entry)].slot, default: []].append(entry)
            }
            return bySlot
        }
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
        let endAt = reader.readerIndex
        let end = try reader.readVarint64()
        if layout.isWindowed {
            guard start < end else { throw .invalidValue("window [\(start), \(end)) is empty", at: endAt) }
        } else {
            guard start == 0 && end == 0 else { throw .invalidValue("an unwindowed group has a window", at: endAt) }
        }
        let slot = reader.storage.withUnsafeBytes { all in
            appendListGroup(keyBytes: UnsafeRawBufferPointer(rebasing: all[keyRange]), start: start, end: end)
        }
        for index in accumulators.indices { try accumulators[index].decodeSlot(slot, from: &reader) }
        return slot
    }

    /// Reads a group identity, checking the key bytes against the layout's key types.
    func readIdentity(from reader: inout ByteReader) throws(DecodeError) -> (key: Range<Int>, start: Int64) {
        let keyAt = reader.readerIndex
        let keyRange = try Accumulator.readValueRange(&reader)
        guard KeyCodec.decode(Array(reader.storage[keyRange]), types: layout.keyTypes) != nil else {
            throw .invalidValue("group key does not match the key types", at: keyAt)
        }
        return (keyRange, try reader.readVarint64())
    }
}
