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
    /// One pass over the entries in their order (which keeps each slot's order), copying them
    /// whole: a state compacts after every batch that evicts a window.
    func compacted(keeping slots: [Int32]) -> SlotValueTable {
        var out = SlotValueTable(counted: counted, indexed: indexed, tracking: tracking)
        out.ensureSlots(slots.count)
        var renumbered = [Int32](repeating: -1, count: heads.count)
        var kept = 0
        for (newSlot, oldSlot) in slots.enumerated() where Int(oldSlot) < heads.count {
            renumbered[Int(oldSlot)] = Int32(newSlot)
            kept += Int(sizes[Int(oldSlot)])
        }
        out.reserveEntries(kept)
        for (position, item) in entries.enumerated() {
            let slot = renumbered[Int(item.slot)]
            // Entries of cleared slots linger until now; a kept slot's chain holds all of its own.
            guard slot >= 0, heads[Int(item.slot)] >= 0 else { continue }
            out.appendCopy(item, slot: slot, arena: arena, count: counted ? counts[position] : 1)
        }
        precondition(out.entries.count == kept, "compaction kept every entry of the kept slots")
        out.beginBatch()
        if indexed {
            var capacity = 16
            while !Self.fits(out.entries.count + 1, capacity: capacity) { capacity *= 2 }
            out.rebuildIndex(capacity: capacity)
        }
        return out
    }
}
