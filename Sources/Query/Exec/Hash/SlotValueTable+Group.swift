/// Values inserted a group at a time: hashed, then their lookups' first cache lines loaded
/// together, then inserted. Once a table outgrows L2 a lookup costs two misses (an index cell,
/// then the entry); loading a group's lines back to back lets the core overlap them.
extension SlotValueTable {
    /// A value waiting in a group: its bytes' range in the group's base, hash, slot and count.
    struct PendingValue {
        var lower: Int
        var upper: Int
        var hash: UInt64
        /// `probeHash(hash, slot:)`, where its lookup starts.
        var probe: UInt64
        var count: Int64
        var slot: Int32

        @inline(__always)
        init(_ range: Range<Int>, hash: UInt64, slot: Int32, count: Int64) {
            lower = range.lowerBound
            upper = range.upperBound
            self.hash = hash
            probe = SlotValueTable.probeHash(hash, slot: slot)
            self.count = count
            self.slot = slot
        }
    }

    /// Values gathered before their lookups are touched: enough misses in flight to cover a
    /// memory latency, few enough that the touched lines are still in L1 when the inserts come.
    static let groupValues = 32

    /// Inserts `group` (values in `base`) in order, as `insert` one by one would.
    mutating func insertGroup(
        _ group: UnsafeMutableBufferPointer<PendingValue>, base: UnsafeRawBufferPointer, overwrite: Bool
    ) {
        if indexed { touch(group) }
        for value in group {
            _ = insertInline(
                slot: value.slot, bytes: UnsafeRawBufferPointer(rebasing: base[value.lower..<value.upper]),
                hash: value.hash, count: value.count, overwrite: overwrite)
        }
    }
}
