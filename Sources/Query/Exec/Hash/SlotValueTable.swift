/// Byte strings per slot (a group): the exact values behind `count(DISTINCT)` and `top_k`, and
/// the interned group keys. An open-addressing index finds a (slot, value) pair by its stable
/// hash and then full byte equality, never by hash alone. Values of up to 16 bytes live inside
/// their entry (one cache miss less per lookup); longer ones, and every value of an unindexed
/// table, live end to end in an arena. The entries of a slot form a chain, so a group's values can
/// be listed, moved and shipped.
struct SlotValueTable: Sendable {
    /// One value: 32 bytes, so a lookup touches one index cell and one entry.
    struct Entry: Sendable {
        /// `StableHash` of the value bytes alone (the slot is mixed in only for the index).
        var hash: UInt64
        var slot: Int32
        var length: Int32
        /// The value, zero-padded, when inline; else `low` is its start in the arena.
        var low: UInt64
        var high: UInt64
    }

    /// Entries a table holds at most (ids are Int32); state memory limits bind long before.
    static let entriesMax = Int(Int32.max) - 1
    /// Values up to this long are stored inline in indexed tables.
    static let inlineBytesMax = 16

    private(set) var arena: [UInt8] = []
    private(set) var entries: [Entry] = []
    /// Per entry: the slot's previous entry, or -1.
    private(set) var chain: [Int32] = []
    /// Occurrences per entry when `counted` (top_k), else empty.
    private(set) var counts: [Int64] = []
    /// Per slot: its latest entry, or -1.
    private(set) var heads: [Int32] = []
    /// Per slot: how many entries it has.
    private(set) var sizes: [Int64] = []
    /// Open addressing: 0 is empty, else the probe hash's top 32 bits and entry + 1.
    private(set) var index: [UInt64] = []
    private(set) var indexMask = 0
    /// Entries from `batchStart` on were added this batch, so they changed without being listed.
    private(set) var batchStart = 0
    /// Older entries whose counts changed since `beginBatch`, when tracking, in the order they changed.
    private(set) var dirty: [Int32] = []
    /// Per entry before `batchStart`, whether it is in `dirty` (counted tracking tables only).
    private var isDirty: [Bool] = []
    /// Folds in the index cells `touch` loads ahead of their inserts, so the optimizer
    /// keeps those loads (Swift has no prefetch intrinsic). Its value means nothing.
    private var touchedBits: UInt64 = 0

    /// Whether entries carry occurrence counts.
    let counted: Bool
    /// Whether (slot, value) pairs are looked up; an unindexed table just lists what it is given.
    let indexed: Bool
    /// Whether changes are recorded for the next delta.
    let tracking: Bool

    init(counted: Bool, indexed: Bool = true, tracking: Bool = false) {
        self.counted = counted
        self.indexed = indexed
        self.tracking = tracking
    }

    /// Bytes held, for state memory limits.
    var memoryBytes: Int {
        arena.capacity + entries.capacity * MemoryLayout<Entry>.stride + chain.capacity * 4 + counts.capacity * 8
            + heads.capacity * 4 + sizes.capacity * 8 + index.capacity * 8 + dirty.capacity * 4 + isDirty.capacity
    }

    /// Makes room for slots `0..<count`.
    mutating func ensureSlots(_ count: Int) {
        guard heads.count < count else { return }
        heads.append(contentsOf: repeatElement(-1, count: count - heads.count))
        sizes.append(contentsOf: repeatElement(0, count: count - sizes.count))
    }

    @inline(__always)
    private func isInline(_ item: Entry) -> Bool { indexed && Int(item.length) <= Self.inlineBytesMax }

    /// The bytes of `entry`.
    @inline(__always)
    func withBytes<R>(of entry: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let item = entries[Int(entry)]
        if isInline(item) {
            return try withUnsafeBytes(of: (item.low, item.high)) { words in
                try body(UnsafeRawBufferPointer(rebasing: words[0..<Int(item.length)]))
            }
        }
        let start = Int(item.low)
        return try arena.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[start..<start + Int(item.length)]))
        }
    }

    /// Copies `entry`'s bytes to `target` and returns their count. An inline value is stored as
    /// its two whole words, so `target` must have `inlineBytesMax` bytes of room whatever the length.
    @inline(__always)
    func copyBytes(of entry: Int32, to target: UnsafeMutableRawPointer) -> Int {
        let item = entries[Int(entry)]
        let length = Int(item.length)
        if isInline(item) {
            target.storeBytes(of: item.low.littleEndian, as: UInt64.self)
            (target + 8).storeBytes(of: item.high.littleEndian, as: UInt64.self)
            return length
        }
        let start = Int(item.low)
        arena.withUnsafeBytes { all in
            if let source = all.baseAddress, length > 0 { target.copyMemory(from: source + start, byteCount: length) }
        }
        return length
    }

    /// The hash of `entry`'s value.
    @inline(__always)
    func hash(of entry: Int32) -> UInt64 { entries[Int(entry)].hash }

    /// The slot `entry` belongs to.
    @inline(__always)
    func slot(of entry: Int32) -> Int32 { entries[Int(entry)].slot }

    /// The byte length of `entry`'s value.
    @inline(__always)
    func length(of entry: Int32) -> Int { Int(entries[Int(entry)].length) }

    /// The count of `entry` (1 when the table does not count).
    @inline(__always)
    func count(of entry: Int32) -> Int64 { counted ? counts[Int(entry)] : 1 }

    /// The entries of `slot`, oldest first.
    func entries(of slot: Int32) -> [Int32] {
        guard Int(slot) < heads.count else { return [] }
        var out: [Int32] = []
        out.reserveCapacity(Int(sizes[Int(slot)]))
        var entry = heads[Int(slot)]
        while entry >= 0 {
            out.append(entry)
            entry = chain[Int(entry)]
        }
        return out.reversed()
    }

    /// The hash a (slot, value) pair is indexed by. The value hash is already fully mixed, so
    /// one multiply-add is enough to move each slot's values to independent places.
    @inline(__always)
    static func probeHash(_ hash: UInt64, slot: Int32) -> UInt64 {
        hash &+ UInt64(UInt32(bitPattern: slot)) &* 0x9E37_79B9_7F4A_7C15
    }

    /// `bytes` (at most 16) as two zero-padded words.
    @inline(__always)
    static func words(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        // Overlapping loads instead of a byte copy: the tail load is shifted so bytes already in
        // the first word drop out, leaving the zero padding a copy would have left.
        let count = bytes.count
        func load64(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        func load32(_ offset: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        switch count {
        case 8...16:
            let high = count == 8 ? 0 : load64(count - 8) >> UInt64((16 - count) * 8)
            return (load64(0), high)
        case 4..<8:
            return (load32(0) | (load32(count - 4) >> UInt64((8 - count) * 8)) << 32, 0)
        default:
            var low: UInt64 = 0
            for index in 0..<min(count, 3) { low |= UInt64(bytes[index]) << UInt64(index * 8) }
            return (low, 0)
        }
    }

    /// Adds `count` occurrences of `bytes` (whose hash is `hash`) to `slot`; returns the entry and
    /// whether it is new. `overwrite` sets the count instead of adding (restoring a delta).
    @discardableResult
    mutating func insert(
        slot: Int32, bytes: UnsafeRawBufferPointer, hash: UInt64, count: Int64 = 1, overwrite: Bool = false
    ) -> (entry: Int32, isNew: Bool) {
        insertInline(slot: slot, bytes: bytes, hash: hash, count: count, overwrite: overwrite)
    }

    /// `insert`, always inlined: the body of the hot loops.
    @inline(__always)
    mutating func insertInline(
        slot: Int32, bytes: UnsafeRawBufferPointer, hash: UInt64, count: Int64, overwrite: Bool
    ) -> (entry: Int32, isNew: Bool) {
        guard indexed else { return (append(slot: slot, bytes: bytes, hash: hash, count: count), true) }
        if indexMask == 0 || !Self.fits(entries.count + 1, capacity: index.count) {
            rebuildIndex(capacity: max(16, index.count * 2))
        }
        let probe = Self.probeHash(hash, slot: slot)
        let tag = probe >> 32
        var bucket = Int(truncatingIfNeeded: probe) & indexMask
        while true {
            let cell = index[bucket]
            if cell == 0 { break }
            if cell >> 32 == tag {
                let entry = Int32(truncatingIfNeeded: cell & 0xFFFF_FFFF) - 1
                if matches(entry, slot: slot, hash: hash, bytes: bytes) {
                    if counted {
                        counts[Int(entry)] = overwrite ? count : counts[Int(entry)] &+ count
                        markDirty(entry)
                    }
                    return (entry, false)
                }
            }
            bucket = (bucket + 1) & indexMask
        }
        index[bucket] = tag << 32 | UInt64(entries.count + 1)
        return (append(slot: slot, bytes: bytes, hash: hash, count: count), true)
    }

    /// Loads the first index cell of each value of `group`: independent loads, so the out-of-order
    /// core overlaps their cache misses instead of taking them one insert at a time. Changes
    /// nothing the table holds. (Also loading the entries those cells point at measured slower on
    /// the map side in interleaved `bench exec` pairs; a hit there is mostly a hot value.)
    @inline(__always)
    mutating func touch(_ group: UnsafeMutableBufferPointer<PendingValue>) {
        let mask = indexMask
        guard mask != 0 else { return }
        var folded: UInt64 = 0
        index.withUnsafeBufferPointer { cells in
            for value in group { folded ^= cells[Int(truncatingIfNeeded: value.probe) & mask] }
        }
        touchedBits ^= folded
    }

    /// The entry of `bytes` in `slot`, if present.
    func find(slot: Int32, bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32? {
        guard indexed, indexMask != 0 else { return nil }
        let probe = Self.probeHash(hash, slot: slot)
        var bucket = Int(truncatingIfNeeded: probe) & indexMask
        while index[bucket] != 0 {
            let cell = index[bucket]
            let entry = Int32(truncatingIfNeeded: cell & 0xFFFF_FFFF) - 1
            if cell >> 32 == probe >> 32 && matches(entry, slot: slot, hash: hash, bytes: bytes) { return entry }
            bucket = (bucket + 1) & indexMask
        }
        return nil
    }

    @inline(__always)
    private func matches(_ entry: Int32, slot: Int32, hash: UInt64, bytes: UnsafeRawBufferPointer) -> Bool {
        let item = entries[Int(entry)]
        guard item.hash == hash, item.slot == slot, Int(item.length) == bytes.count else { return false }
        if isInline(item) {
            let words = Self.words(bytes)
            return words.0 == item.low && words.1 == item.high
        }
        let start = Int(item.low)
        return arena.withUnsafeBytes { all in
            bytesEqual(UnsafeRawBufferPointer(rebasing: all[start..<start + bytes.count]), bytes)
        }
    }

    /// Makes `bytes` this unindexed table's arena, shared rather than copied, so values read from
    /// them can be listed with `appendReference` instead of being copied value by value.
    mutating func adoptArena(_ bytes: [UInt8]) {
        precondition(!indexed && entries.isEmpty, "only an empty unindexed table adopts an arena")
        arena = bytes
    }

    /// Lists the value at `range` of the adopted arena (unindexed tables only).
    mutating func appendReference(slot: Int32, range: Range<Int>, hash: UInt64, count: Int64) {
        precondition(!indexed && range.upperBound <= arena.count, "a reference outside the adopted arena")
        if Int(slot) >= heads.count { ensureSlots(Int(slot) + 1) }
        let entry = Int32(truncatingIfNeeded: entries.count)
        entries.append(
            Entry(
                hash: hash, slot: slot, length: Int32(truncatingIfNeeded: range.count), low: UInt64(range.lowerBound),
                high: 0))
        chain.append(heads[Int(slot)])
        heads[Int(slot)] = entry
        sizes[Int(slot)] += 1
        if counted { counts.append(count) }
    }

    /// Appends a new entry without looking it up (the index, if any, is the caller's business).
    mutating func append(slot: Int32, bytes: UnsafeRawBufferPointer, hash: UInt64, count: Int64) -> Int32 {
        precondition(entries.count < Self.entriesMax, "a value table is full")
        precondition(bytes.count <= Int(Int32.max), "a value longer than 2 GiB")
        if Int(slot) >= heads.count { ensureSlots(Int(slot) + 1) }
        let entry = Int32(truncatingIfNeeded: entries.count)
        var item = Entry(hash: hash, slot: slot, length: Int32(truncatingIfNeeded: bytes.count), low: 0, high: 0)
        if isInline(item) {
            (item.low, item.high) = Self.words(bytes)
        } else {
            item.low = UInt64(arena.count)
            arena.append(contentsOf: bytes)
        }
        entries.append(item)
        heads.withUnsafeMutableBufferPointer { heads in
            chain.append(heads[Int(slot)])
            heads[Int(slot)] = entry
        }
        sizes[Int(slot)] += 1
        if counted { counts.append(count) }
        return entry
    }

    /// Appends a copy of `item` (an entry of a table of the same kind, whose arena is `source`)
    /// as an entry of `slot`, without looking it up.
    mutating func appendCopy(_ item: Entry, slot: Int32, arena source: [UInt8], count: Int64) {
        let entry = Int32(truncatingIfNeeded: entries.count)
        var copy = item
        copy.slot = slot
        if !isInline(item) {
            let start = Int(item.low)
            copy.low = UInt64(arena.count)
            arena.append(contentsOf: source[start..<start + Int(item.length)])
        }
        entries.append(copy)
        chain.append(heads[Int(slot)])
        heads[Int(slot)] = entry
        sizes[Int(slot)] += 1
        if counted { counts.append(count) }
    }

    /// Makes room for `more` entries without regrowing the entry arrays.
    mutating func reserveEntries(_ more: Int) {
        entries.reserveCapacity(entries.count + more)
        chain.reserveCapacity(chain.count + more)
        if counted { counts.reserveCapacity(counts.count + more) }
    }

    @inline(__always)
    private mutating func markDirty(_ entry: Int32) {
        guard tracking, Int(entry) < batchStart, !isDirty[Int(entry)] else { return }
        isDirty[Int(entry)] = true
        dirty.append(entry)
    }

    /// Entries changed since `beginBatch` (when tracking): older ones whose counts changed, in the
    /// order they changed, then the new ones in the order they came.
    func forEachChanged(_ body: (Int32) -> Void) {
        for entry in dirty { body(entry) }
        for entry in batchStart..<entries.count { body(Int32(truncatingIfNeeded: entry)) }
    }

    /// How many entries `forEachChanged` lists.
    var changedCount: Int { dirty.count + entries.count - batchStart }

    /// Forgets which entries changed: a new batch starts.
    mutating func beginBatch() {
        for entry in dirty { isDirty[Int(entry)] = false }
        dirty.removeAll(keepingCapacity: true)
        batchStart = entries.count
        if tracking && counted && isDirty.count < batchStart {
            isDirty.append(contentsOf: repeatElement(false, count: batchStart - isDirty.count))
        }
    }

    /// Detaches every entry from `slot`, which must never take values again (the entries stay in
    /// the arena and the index until `compacted`, and a lookup in that slot would still find them).
    mutating func clear(slot: Int32) {
        guard Int(slot) < heads.count else { return }
        heads[Int(slot)] = -1
        sizes[Int(slot)] = 0
    }

    mutating func rebuildIndex(capacity: Int) {
        index = [UInt64](repeating: 0, count: capacity)
        indexMask = capacity - 1
        for (position, item) in entries.enumerated() {
            let probe = Self.probeHash(item.hash, slot: item.slot)
            var bucket = Int(truncatingIfNeeded: probe) & indexMask
            while index[bucket] != 0 { bucket = (bucket + 1) & indexMask }
            index[bucket] = (probe >> 32) << 32 | UInt64(position + 1)
        }
    }

    /// Whether `entries` fit an index of `capacity` cells: at most three quarters full. Tags keep
    /// the longer probes cheap, and a smaller index misses the cache less once it outgrows it.
    @inline(__always)
    static func fits(_ entries: Int, capacity: Int) -> Bool { entries * 4 <= capacity * 3 }

    /// Grows the index, if needed, so `more` new entries fit without another rebuild.
    mutating func reserve(more: Int) {
        guard indexed else { return }
        var capacity = max(16, index.count)
        while !Self.fits(entries.count + more, capacity: capacity) { capacity *= 2 }
        if capacity != index.count { rebuildIndex(capacity: capacity) }
    }

}
