/// Upkeep of a value table: ordering a slot's values and dropping dead slots.
extension SlotValueTable {
    /// The same unindexed table with each slot's entries in ascending byte order.
    func sortedCopy() -> SlotValueTable {
        var out = SlotValueTable(counted: counted, indexed: indexed, tracking: tracking)
        out.ensureSlots(heads.count)
        for slot in 0..<Int32(heads.count) {
            let ordered = entries(of: slot).sorted { a, b in
                withBytes(of: a) { x in
                    withBytes(of: b) { y in
                        compareBytes(x.assumingMemoryBound(to: UInt8.self), y.assumingMemoryBound(to: UInt8.self)) < 0
                    }
                }
            }
            for entry in ordered {
                withBytes(of: entry) { bytes in
                    _ = out.insert(slot: slot, bytes: bytes, hash: hash(of: entry), count: count(of: entry))
                }
            }
        }
        return out
    }

    /// A table holding only the entries of `slots`, renumbered: old slot `slots[i]` becomes slot `i`.
    func compacted(keeping slots: [Int32]) -> SlotValueTable {
        var out = SlotValueTable(counted: counted, indexed: indexed, tracking: tracking)
        out.ensureSlots(slots.count)
        for (newSlot, oldSlot) in slots.enumerated() {
            for entry in entries(of: oldSlot) {
                withBytes(of: entry) { bytes in
                    _ = out.append(slot: Int32(newSlot), bytes: bytes, hash: hash(of: entry), count: count(of: entry))
                }
            }
        }
        out.beginBatch()
        if indexed {
            var capacity = 16
            while capacity < (out.entries.count + 1) * 2 { capacity *= 2 }
            out.rebuildIndex(capacity: capacity)
        }
        return out
    }
}
