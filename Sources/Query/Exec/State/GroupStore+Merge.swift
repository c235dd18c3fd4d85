/// Folding groups from shuffle blocks and state records into a state store.
extension GroupStore {
    /// Merges every group of `block` (a decoded list store) into this state store; with
    /// `overwrite` the block's records hold totals (a delta being restored) rather than partials.
    mutating func merge(_ block: GroupStore, overwrite: Bool) {
        precondition(mode == .state && block.mode == .list, "blocks merge into state stores")
        // Room for as many values as the block holds, as `merge(_: CheckedShuffleBlock)` makes.
        for index in accumulators.indices {
            let more = block.accumulators[index].values.entries.count - accumulators[index].values.entries.count
            if more > 0 { accumulators[index].values.reserve(more: more) }
        }
        for source in 0..<Int32(block.slotCount) {
            let key = block.withKeyBytes(of: source) { internKey($0) }
            let start = block.windowStart[Int(source)]
            let end = block.windowEnd[Int(source)]
            let target: Int32
            if layout.window == .session {
                target = mergeSession(key: key, start: start, end: end)
            } else {
                target = slot(key: key, start: start, end: end)
            }
            for index in accumulators.indices {
                accumulators[index].merge(from: block.accumulators[index], source, into: target, overwrite: overwrite)
            }
            markChanged(target)
        }
    }

    /// The session slot that `[start, end)` of `key` lands in: a new one, or the earliest
    /// overlapping one after every other overlapping session has been folded into it.
    mutating func mergeSession(key: Int32, start: Int64, end: Int64) -> Int32 {
        if sessions.count <= Int(key) {
            sessions.append(contentsOf: repeatElement([], count: Int(key) + 1 - sessions.count))
        }
        let overlapping = sessions[Int(key)].filter {
            WindowAssigner.overlaps((windowStart[Int($0)], windowEnd[Int($0)]), (start, end))
        }
        guard let target = overlapping.first else {
            let slot = appendSlot(key: key, start: start, end: end)
            let position = sessions[Int(key)].firstIndex { windowStart[Int($0)] > start } ?? sessions[Int(key)].count
            sessions[Int(key)].insert(slot, at: position)
            return slot
        }
        var newStart = min(start, windowStart[Int(target)])
        var newEnd = max(end, windowEnd[Int(target)])
        for other in overlapping.dropFirst() {
            newStart = min(newStart, windowStart[Int(other)])
            newEnd = max(newEnd, windowEnd[Int(other)])
            for index in accumulators.indices {
                let part = accumulators[index].extract(other)
                accumulators[index].merge(from: part, 0, into: target, overwrite: false)
            }
            kill(other)
        }
        setWindow(target, start: newStart, end: newEnd)
        return target
    }

    /// The live slot with identity (key bytes, start), if any.
    func slot(identity keyBytes: UnsafeRawBufferPointer, start: Int64) -> Int32? {
        guard let key = keys.find(slot: 0, bytes: keyBytes, hash: StableHash.hash(keyBytes)) else { return nil }
        if layout.window == .session {
            guard Int(key) < sessions.count else { return nil }
            return sessions[Int(key)].first { windowStart[Int($0)] == start }
        }
        return existingSlot(key: key, start: start)
    }

    /// Live slots whose window ended at or before `watermarkMs`.
    func closed(by watermarkMs: Int64) -> [Int32] {
        guard layout.isWindowed else { return [] }
        return liveSlots.filter { windowEnd[Int($0)] <= watermarkMs }
    }

    /// Live slots changed this batch.
    var changedSlots: [Int32] { liveSlots.filter { changed[Int($0)] } }

    /// Ends the batch after its delta was written: what is live now is what the version holds.
    /// Returns a compacted store when slots died, so dead groups stop costing memory.
    mutating func finishBatch() {
        for slot in 0..<slotCount {
            changed[slot] = false
            persisted[slot] = live[slot]
            persistedStart[slot] = windowStart[slot]
        }
        for index in accumulators.indices { accumulators[index].values.beginBatch() }
        if liveCount < slotCount { self = compacted() }
    }

    /// The same groups without dead slots, renumbered in slot order.
    func compacted() -> GroupStore {
        var out = GroupStore(layout: layout, mode: mode)
        let kept = liveSlots
        for (position, slot) in kept.enumerated() {
            let key = withKeyBytes(of: slot) { out.internKey($0) }
            let start = windowStart[Int(slot)]
            let end = windowEnd[Int(slot)]
            let newSlot: Int32
            if layout.window == .session {
                newSlot = out.mergeSession(key: key, start: start, end: end)
            } else {
                newSlot = out.slot(key: key, start: start, end: end)
            }
            precondition(newSlot == Int32(position), "compaction renumbers slots in order")
            if mode == .state {
                out.changed[position] = changed[Int(slot)]
                out.persisted[position] = persisted[Int(slot)]
                out.persistedStart[position] = persistedStart[Int(slot)]
            }
        }
        for index in accumulators.indices {
            out.accumulators[index] = accumulators[index].compacted(keeping: kept)
        }
        return out
    }
}

extension Accumulator {
    /// The same state for groups `slots` only, renumbered: old slot `slots[i]` becomes `i`.
    func compacted(keeping slots: [Int32]) -> Accumulator {
        var out = Accumulator(kind, indexed: values.indexed, tracking: values.tracking)
        for _ in slots { out.appendSlot() }
        let scalar = slots.map { Int($0) }
        if !int64s.isEmpty { out.int64s = scalar.map { int64s[$0] } }
        if !doubles.isEmpty { out.doubles = scalar.map { doubles[$0] } }
        if !has.isEmpty { out.has = scalar.map { has[$0] } }
        if !strings.isEmpty { out.strings = scalar.map { strings[$0] } }
        if !sketches.isEmpty { out.sketches = scalar.map { sketches[$0] } }
        out.values = values.compacted(keeping: slots)
        return out
    }
}
