import Wire

/// State as bytes. Both forms start with the format version (u8), the group-layout fingerprint
/// (u64), the kind (u8: 1 snapshot, 2 delta) and the version (zig-zag varint).
///
/// A snapshot then holds every group, in emit order, values sorted: the same state always gives
/// the same bytes. A delta holds the version it follows, the identities (key bytes, window start)
/// of groups gone since then (evicted windows, sessions merged away or moved), and a record per
/// group created or changed in the batch: a flag that says whether the record is complete, then
/// the group with its totals; an incomplete record carries only the distinct/top_k values that
/// changed, which is what keeps exact distinct deltas small.
extension AggregationState {
    /// The format version, the first byte of snapshots and deltas.
    public static let formatVersion: UInt8 = 2
    static let snapshotKind: UInt8 = 1
    static let deltaKind: UInt8 = 2

    /// The whole state as bytes.
    public func snapshot() -> [UInt8] {
        var writer = ByteWriter(capacity: 64 + store.memoryBytes / 4)
        writeHeader(kind: Self.snapshotKind, version: version, into: &writer)
        let slots = store.ordered(store.liveSlots)
        writer.writeUVarint(UInt64(slots.count))
        for slot in slots { store.encodeGroup(slot, into: &writer, sorted: true) }
        return writer.bytes
    }

    /// The delta from `previous` to `version` (called by `ReduceTask` before `finishBatch`).
    func encodeDelta(version: Int64, previous: Int64) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        writeHeader(kind: Self.deltaKind, version: version, into: &writer)
        writer.writeVarint64(previous)
        var gone: [(slot: Int32, start: Int64)] = []
        for slot in 0..<Int32(store.slotCount) where store.persisted[Int(slot)] {
            let start = store.persistedStart[Int(slot)]
            if !store.live[Int(slot)] || start != store.windowStart[Int(slot)] { gone.append((slot, start)) }
        }
        // Slot numbers differ between a live state and one restored from bytes; identities do not.
        gone.sort { a, b in
            if a.start != b.start { return a.start < b.start }
            return store.withKeyBytes(of: a.slot) { x in
                store.withKeyBytes(of: b.slot) { y in
                    compareBytes(x.assumingMemoryBound(to: UInt8.self), y.assumingMemoryBound(to: UInt8.self)) < 0
                }
            }
        }
        writer.writeUVarint(UInt64(gone.count))
        for (slot, start) in gone {
            store.withKeyBytes(of: slot) { key in
                writer.writeUVarint(UInt64(key.count))
                writer.writeBytes(key)
            }
            writer.writeVarint64(start)
        }
        let records = store.ordered(store.changedSlots)
        func isComplete(_ slot: Int32) -> Bool {
            !store.persisted[Int(slot)] || store.persistedStart[Int(slot)] != store.windowStart[Int(slot)]
        }
        // Only incomplete records list changed values; a batch of new groups needs no listing.
        let changed = records.allSatisfy(isComplete) ? [] : store.changedValues()
        writer.writeUVarint(UInt64(records.count))
        for slot in records {
            let complete = isComplete(slot)
            writer.writeBool(complete)
            // A new group's values all arrived this batch, in an order replays repeat; only a moved
            // session carries values whose order depends on the state's history, so only it is sorted.
            let moved = complete && store.persisted[Int(slot)]
            store.encodeGroup(slot, into: &writer, changed: complete ? nil : changed, sorted: moved)
        }
        return writer.bytes
    }

    private func writeHeader(kind: UInt8, version: Int64, into writer: inout ByteWriter) {
        writer.writeByte(Self.formatVersion)
        writer.writeInteger(store.layout.fingerprint)
        writer.writeByte(kind)
        writer.writeVarint64(version)
    }

    /// The state of `plan`'s aggregation for `partition` restored from a snapshot (nil: the empty
    /// state) and the deltas after it, in order. Hostile bytes give a typed error.
    public init(
        plan: JobPlan, partition: Int, snapshot: [UInt8]?, deltas: [[UInt8]], stateBytesMax: Int = defaultStateBytesMax
    ) throws {
        self = try AggregationState(plan: plan, partition: partition, stateBytesMax: stateBytesMax)
        if let snapshot { try loadSnapshot(snapshot) }
        for delta in deltas { try applyDelta(delta) }
    }

    private mutating func loadSnapshot(_ bytes: [UInt8]) throws(StateError) {
        var reader = ByteReader(bytes)
        var block = GroupStore(layout: store.layout, mode: .list)
        let snapshotVersion = try Self.readHeader(&reader, kind: Self.snapshotKind, layout: store.layout)
        try Self.decoding(&reader) { (reader: inout ByteReader) throws(DecodeError) in
            let count = try Self.readCount(&reader)
            for _ in 0..<count { try block.decodeGroup(from: &reader) }
        }
        store.merge(block, overwrite: true)
        version = snapshotVersion
        store.finishBatch()
    }

    /// Applies the delta that follows the current version.
    public mutating func applyDelta(_ bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        let deltaVersion = try Self.readHeader(&reader, kind: Self.deltaKind, layout: store.layout)
        var gone: [(key: [UInt8], start: Int64)] = []
        var complete: [Bool] = []
        var block = GroupStore(layout: store.layout, mode: .list)
        var previous: Int64 = 0
        try Self.decoding(&reader) { [store] (reader: inout ByteReader) throws(DecodeError) in
            previous = try reader.readVarint64()
            for _ in 0..<(try Self.readCount(&reader)) {
                let identity = try store.readIdentity(from: &reader)
                gone.append((Array(reader.storage[identity.key]), identity.start))
            }
            for _ in 0..<(try Self.readCount(&reader)) {
                complete.append(try reader.readBool())
                try block.decodeGroup(from: &reader)
            }
        }
        guard previous == version, deltaVersion > version else {
            throw StateError.versionGap(expectedPrevious: version, found: previous)
        }
        applyRecords(gone: gone, complete: complete, block: block)
        version = deltaVersion
        store.finishBatch()
    }

    private mutating func applyRecords(gone: [(key: [UInt8], start: Int64)], complete: [Bool], block: GroupStore) {
        for (key, start) in gone {
            if let slot = key.withUnsafeBytes({ store.slot(identity: $0, start: start) }) { store.kill(slot) }
        }
        // A complete record replaces whatever group had its identity; an incomplete one updates it.
        for slot in 0..<Int32(block.slotCount) where complete[Int(slot)] {
            let start = block.windowStart[Int(slot)]
            if let existing = block.withKeyBytes(of: slot, { store.slot(identity: $0, start: start) }) {
                store.kill(existing)
            }
        }
        for slot in 0..<Int32(block.slotCount) {
            let start = block.windowStart[Int(slot)]
            let end = block.windowEnd[Int(slot)]
            if store.layout.window == .session,
                let existing = block.withKeyBytes(of: slot, { store.slot(identity: $0, start: start) })
            {
                store.setWindow(existing, start: start, end: end)
            }
        }
        store.merge(block, overwrite: true)
    }

    private static func readHeader(_ reader: inout ByteReader, kind: UInt8, layout: GroupLayout) throws(StateError)
        -> Int64
    {
        do {
            let version = try reader.readUInt8()
            guard version == formatVersion else { throw StateError.unsupportedVersion(version) }
            guard try reader.readUInt64() == layout.fingerprint else { throw StateError.layoutMismatch }
            guard try reader.readUInt8() == kind else {
                throw StateError.wrongKind(expected: kind == snapshotKind ? "snapshot" : "delta")
            }
            return try reader.readVarint64()
        } catch let error as StateError {
            throw error
        } catch let error as DecodeError {
            throw .malformed(error)
        } catch {
            throw .malformed(.invalidValue("\(error)", at: reader.readerIndex))
        }
    }

    /// Runs a decoding step that must consume the rest of the bytes, as a `StateError`.
    private static func decoding(_ reader: inout ByteReader, _ body: (inout ByteReader) throws(DecodeError) -> Void)
        throws(StateError)
    {
        do {
            try body(&reader)
        } catch {
            throw .malformed(error)
        }
        guard reader.isAtEnd else {
            throw .malformed(.invalidValue("\(reader.readableBytes) bytes after the state", at: reader.readerIndex))
        }
    }

    private static func readCount(_ reader: inout ByteReader) throws(DecodeError) -> Int {
        let at = reader.readerIndex
        let count = try reader.readUVarint64()
        guard count <= UInt64(reader.readableBytes) else {
            throw .lengthTooLarge(Int(clamping: count), limit: reader.readableBytes, at: at)
        }
        return Int(count)
    }
}
