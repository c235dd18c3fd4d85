/// Groups and their partial aggregates, one slot per group: the window (`windowStart`,
/// `windowEnd`; both 0 when unwindowed), the interned key, and one `Accumulator` per aggregate.
/// A group's identity is (key bytes, window start).
///
/// Three uses: a map task aggregates rows into one (`map`); a decoded shuffle block or state
/// record is one (`list`, slots appended as read); a reduce partition's state is one (`state`,
/// which also tracks what changed for deltas). Slots die (evicted windows, merged sessions) but
/// are only reclaimed by `compacted()`, so slot numbers stay stable within a batch.
struct GroupStore: Sendable {
    enum Mode: Sendable {
        case map
        case list
        case state
    }

    let layout: GroupLayout
    let mode: Mode
    /// Interned key bytes in slot 0 of the table; an entry number is a key id. In list mode every
    /// group appends its own entry.
    private(set) var keys: SlotValueTable
    /// Per slot: its key id.
    private(set) var slotKey: [Int32] = []
    private(set) var windowStart: [Int64] = []
    private(set) var windowEnd: [Int64] = []
    private(set) var live: [Bool] = []
    var accumulators: [Accumulator]
    /// (window start, key) → slot + 1, for non-session groups in map and state modes.
    private var groupIndex: [Int32] = []
    private var groupMask = 0
    /// Session windows: the live slots of each key id, by ascending start.
    var sessions: [[Int32]] = []
    /// Live slots.
    private(set) var liveCount = 0
    /// State mode: per slot, whether it changed this batch, whether the last version had it, and
    /// its window start then (a session's start moves when it merges).
    var changed: [Bool] = []
    var persisted: [Bool] = []
    var persistedStart: [Int64] = []

    init(layout: GroupLayout, mode: Mode) {
        self.layout = layout
        self.mode = mode
        keys = SlotValueTable(counted: false, indexed: mode != .list)
        accumulators = layout.aggregates.map { Accumulator($0, indexed: mode != .list, tracking: mode == .state) }
        keys.ensureSlots(1)
    }

    var slotCount: Int { live.count }

    /// The key id of `bytes`, interned on first sight.
    @inline(__always)
    mutating func internKey(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        keys.insert(slot: 0, bytes: bytes, hash: StableHash.hash(bytes)).entry
    }

    /// The slot of the non-session group (window `start`..`end`, key `key`), created if new.
    @inline(__always)
    mutating func slot(key: Int32, start: Int64, end: Int64) -> Int32 {
        precondition(mode != .list && layout.window != .session, "groups are looked up only in map or state stores")
        if groupMask == 0 || (slotCount + 1) * 2 > groupIndex.count { growGroupIndex() }
        var bucket = Self.groupHash(key: key, start: start) & groupMask
        while true {
            let cell = groupIndex[bucket]
            if cell == 0 { break }
            let slot = Int(cell - 1)
            if windowStart[slot] == start && slotKey[slot] == key && live[slot] { return Int32(slot) }
            bucket = (bucket + 1) & groupMask
        }
        let slot = appendSlot(key: key, start: start, end: end)
        groupIndex[bucket] = slot + 1
        return slot
    }

    /// The live non-session slot with this identity, if any.
    func existingSlot(key: Int32, start: Int64) -> Int32? {
        guard groupMask != 0 else { return nil }
        var bucket = Self.groupHash(key: key, start: start) & groupMask
        while groupIndex[bucket] != 0 {
            let slot = Int(groupIndex[bucket] - 1)
            if windowStart[slot] == start && slotKey[slot] == key && live[slot] { return Int32(slot) }
            bucket = (bucket + 1) & groupMask
        }
        return nil
    }

    @inline(__always)
    private static func groupHash(key: Int32, start: Int64) -> Int {
        Int(
            truncatingIfNeeded: StableHash.mix(
                UInt64(bitPattern: start) &+ UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15))
    }

    private mutating func growGroupIndex() {
        let capacity = max(16, groupIndex.count * 2)
        groupIndex = [Int32](repeating: 0, count: capacity)
        groupMask = capacity - 1
        for slot in 0..<slotCount where live[slot] {
            var bucket = Self.groupHash(key: slotKey[slot], start: windowStart[slot]) & groupMask
            while groupIndex[bucket] != 0 { bucket = (bucket + 1) & groupMask }
            groupIndex[bucket] = Int32(slot + 1)
        }
    }

    /// A new live slot (without looking anything up).
    @discardableResult
    mutating func appendSlot(key: Int32, start: Int64, end: Int64) -> Int32 {
        precondition(slotCount < Int(Int32.max) - 1, "a group store is full")
        let slot = Int32(slotCount)
        slotKey.append(key)
        windowStart.append(start)
        windowEnd.append(end)
        live.append(true)
        liveCount += 1
        for index in accumulators.indices { accumulators[index].appendSlot() }
        if mode == .state {
            changed.append(true)
            persisted.append(false)
            persistedStart.append(start)
        }
        return slot
    }

    /// Appends a group read from bytes (list mode): its key bytes get their own entry.
    mutating func appendListGroup(keyBytes: UnsafeRawBufferPointer, start: Int64, end: Int64) -> Int32 {
        let key = keys.insert(slot: 0, bytes: keyBytes, hash: StableHash.hash(keyBytes)).entry
        return appendSlot(key: key, start: start, end: end)
    }

    /// The key bytes of `slot`.
    func withKeyBytes<R>(of slot: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try keys.withBytes(of: slotKey[Int(slot)], body)
    }

    /// Kills `slot`: it no longer counts as a group, and its values are detached.
    mutating func kill(_ slot: Int32) {
        guard live[Int(slot)] else { return }
        live[Int(slot)] = false
        liveCount -= 1
        for index in accumulators.indices { accumulators[index].values.clear(slot: slot) }
        let key = Int(slotKey[Int(slot)])
        if layout.window == .session && key < sessions.count { sessions[key].removeAll { $0 == slot } }
    }

    /// Moves a session's window (merging sessions).
    mutating func setWindow(_ slot: Int32, start: Int64, end: Int64) {
        precondition(layout.window == .session, "only session windows move")
        windowStart[Int(slot)] = start
        windowEnd[Int(slot)] = end
    }

    /// Records that `slot` changed this batch (state mode).
    @inline(__always)
    mutating func markChanged(_ slot: Int32) {
        if mode == .state { changed[Int(slot)] = true }
    }

    /// Live slots.
    var liveSlots: [Int32] { (0..<Int32(slotCount)).filter { live[Int($0)] } }

    /// Bytes held, for state memory limits.
    var memoryBytes: Int {
        var total = keys.memoryBytes + slotKey.capacity * 4 + windowStart.capacity * 8 + windowEnd.capacity * 8
        total +=
            live.capacity + changed.capacity + persisted.capacity + persistedStart.capacity * 8 + groupIndex.capacity
            * 4
        for accumulator in accumulators { total += accumulator.memoryBytes }
        for list in sessions { total += list.capacity * 4 + 32 }
        return total
    }

    /// `slots` ordered by window start, window end, then key bytes: the order rows are emitted
    /// and written in, the same however the store was built.
    func ordered(_ slots: [Int32]) -> [Int32] {
        slots.sorted { a, b in
            let (i, j) = (Int(a), Int(b))
            if windowStart[i] != windowStart[j] { return windowStart[i] < windowStart[j] }
            if windowEnd[i] != windowEnd[j] { return windowEnd[i] < windowEnd[j] }
            return withKeyBytes(of: a) { keyA in
                withKeyBytes(of: b) { keyB in
                    compareBytes(keyA.assumingMemoryBound(to: UInt8.self), keyB.assumingMemoryBound(to: UInt8.self)) < 0
                }
            }
        }
    }

    /// The reduce partition of `slot`'s group: a stable hash of the window start and key bytes
    /// (key bytes alone for sessions, whose start moves, and for unwindowed groups).
    func partition(of slot: Int32, partitions: Int) -> Int {
        withKeyBytes(of: slot) {
            Self.partition(keyBytes: $0, start: windowStart[Int(slot)], layout: layout, partitions: partitions)
        }
    }

    /// The reduce partition of the group (`keyBytes`, `start`) under `layout`.
    static func partition(keyBytes: UnsafeRawBufferPointer, start: Int64, layout: GroupLayout, partitions: Int) -> Int {
        let seed = layout.window == .session || layout.window == .none ? 0 : UInt64(bitPattern: start)
        return Int(StableHash.hash(keyBytes, seed: seed) % UInt64(partitions))
    }
}
