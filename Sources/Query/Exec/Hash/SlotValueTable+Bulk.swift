extension SlotValueTable {
    /// Inserts `count` values. Value `i` is `base[range(i)]` (nil: skip it, a NULL), going to slot
    /// `slot(i)` with `occurrences(i)` occurrences; `hash(i, bytes)` gives its hash. Inlined into
    /// each caller so the closures compile away.
    @inline(__always)
    mutating func insertMany(
        count: Int, base: UnsafeRawBufferPointer, overwrite: Bool = false, range: (Int) -> Range<Int>?,
        slot: (Int) -> Int32, occurrences: (Int) -> Int64, hash: (Int, UnsafeRawBufferPointer) -> UInt64
    ) {
        withUnsafeTemporaryAllocation(of: PendingValue.self, capacity: Self.groupValues) { group in
            var held = 0
            for value in 0..<count {
                guard let valueRange = range(value) else { continue }
                let bytes = UnsafeRawBufferPointer(rebasing: base[valueRange])
                group.initializeElement(
                    at: held,
                    to: PendingValue(
                        valueRange, hash: hash(value, bytes), slot: slot(value), count: occurrences(value)))
                held += 1
                if held == group.count {
                    insertGroup(group, base: base, overwrite: overwrite)
                    held = 0
                }
            }
            insertGroup(UnsafeMutableBufferPointer(rebasing: group[0..<held]), base: base, overwrite: overwrite)
        }
    }

    /// Inserts row `rows[i]` of `column` into slot `slots[i]` for every pair whose row is not NULL
    /// (the map side of count(DISTINCT) and top_k).
    mutating func insertColumn(_ column: Column, rows: [Int32], slots: [Int32]) {
        // Many values of a map task's batch are new to it: room for half of them saves regrowing
        // the entry arrays as they fill. The index is sized for a quarter (a batch of skewed
        // clicks has about a third distinct, which rounding up to a power of two nearly always
        // covers): room for half doubled it past that, and a larger index misses the cache more.
        reserveEntries(rows.count / 2)
        reserve(more: rows.count / 4)
        let nulls = column.nulls
        let hasNulls = !nulls.isEmpty
        if column.type == .string {
            column.strings.bytes.withUnsafeBytes { base in
                column.strings.offsets.withUnsafeBufferPointer { offsets in
                    insertMany(
                        count: rows.count, base: base,
                        range: { pair in
                            let row = Int(rows[pair])
                            return hasNulls && nulls[row] ? nil : offsets[row]..<offsets[row + 1]
                        }, slot: { slots[$0] }, occurrences: { _ in 1 }, hash: { StableHash.hash($1) })
                }
            }
            return
        }
        // Fixed-width values are laid out once as their ValueBytes, then inserted the same way.
        let width = ValueBytes.width(column.type) ?? 8
        var scratch = [UInt8](repeating: 0, count: rows.count * width)
        scratch.withUnsafeMutableBytes { out in
            for (pair, row) in rows.enumerated() {
                let row = Int(row)
                switch column.type {
                case .bool: out[pair] = column.bools[row] ? 1 : 0
                case .double:
                    out.storeBytes(
                        of: Kernels.canonicalBits(column.doubles[row]).littleEndian, toByteOffset: pair * 8,
                        as: UInt64.self)
                default: out.storeBytes(of: column.int64s[row].littleEndian, toByteOffset: pair * 8, as: Int64.self)
                }
            }
        }
        scratch.withUnsafeBytes { base in
            insertMany(
                count: rows.count, base: base,
                range: { pair in hasNulls && nulls[Int(rows[pair])] ? nil : pair * width..<(pair + 1) * width },
                slot: { slots[$0] }, occurrences: { _ in 1 }, hash: { StableHash.hash($1) })
        }
    }

    /// Adds the values of slot `source` of `other` to slot `target` of this table, with their
    /// counts (replacing counts with `overwrite`), reusing the hashes `other` already holds.
    mutating func insertSlot(_ source: Int32, of other: SlotValueTable, into target: Int32, overwrite: Bool) {
        let members = other.entries(of: source)
        if !other.indexed {
            // An unindexed table keeps every value in its arena, so they can be read in place.
            other.arena.withUnsafeBytes { base in
                insertMany(
                    count: members.count, base: base, overwrite: overwrite,
                    range: { index in
                        let item = other.entries[Int(members[index])]
                        return Int(item.low)..<Int(item.low) + Int(item.length)
                    }, slot: { _ in target }, occurrences: { other.count(of: members[$0]) },
                    hash: { index, _ in other.hash(of: members[index]) })
            }
            return
        }
        for entry in members {
            other.withBytes(of: entry) { bytes in
                _ = insert(
                    slot: target, bytes: bytes, hash: other.hash(of: entry), count: other.count(of: entry),
                    overwrite: overwrite)
            }
        }
    }
}
