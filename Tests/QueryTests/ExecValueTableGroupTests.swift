import Testing

@testable import Query

/// `SlotValueTable.insertMany` inserts a group of values at a time (touching their lookups first);
/// it must leave exactly the table that inserting them one by one leaves, and what a plain model
/// of per-slot distinct values with counts says.
@Suite struct ExecValueTableGroupTests {
    /// One value to insert: its bytes (nil is a NULL, skipped), slot and count.
    struct Item {
        var bytes: [UInt8]?
        var slot: Int32
        var count: Int64
    }

    static func items(_ count: Int, slots: Int32, counted: Bool, using random: inout SeededRandom) -> [Item] {
        (0..<count).map { _ in
            let isNull = Int.random(in: 0..<10, using: &random) == 0
            return Item(
                bytes: isNull ? nil : ExecValueTableModelTests.value(using: &random),
                slot: Int32.random(in: 0..<slots, using: &random),
                count: counted ? Int64.random(in: 1...5, using: &random) : 1)
        }
    }

    /// `items` through `insertMany`, their bytes laid end to end in one buffer as a column's are.
    static func insertMany(_ items: [Item], into table: inout SlotValueTable, overwrite: Bool) {
        var base: [UInt8] = []
        var ranges: [Range<Int>?] = []
        for item in items {
            guard let bytes = item.bytes else {
                ranges.append(nil)
                continue
            }
            ranges.append(base.count..<base.count + bytes.count)
            base += bytes
        }
        base.withUnsafeBytes { base in
            table.insertMany(
                count: items.count, base: base, overwrite: overwrite, range: { ranges[$0] },
                slot: { items[$0].slot }, occurrences: { items[$0].count }, hash: { StableHash.hash($1) })
        }
    }

    static func changed(_ table: SlotValueTable) -> [Int32] {
        var changed: [Int32] = []
        table.forEachChanged { changed.append($0) }
        return changed
    }

    @Test(arguments: [false, true]) func groupedInsertsEqualOneByOneInserts(counted: Bool) {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecValueTableGroupTests.grouped seed \(seed)")
        var random = SeededRandom(seed: seed)
        // Past two whole groups, so full, partial and empty groups all occur.
        for size in 0...(2 * SlotValueTable.groupValues + 8) {
            let slots = Int32.random(in: 1...4, using: &random)
            let overwrite = counted && Bool.random(using: &random)
            var grouped = SlotValueTable(counted: counted, tracking: true)
            var single = grouped
            var model = ExecValueTableModelTests.Model()
            // A first batch leaves the index a few entries short of growing, so the grouped batch
            // grows it part way through a group.
            let first = Self.items(
                Int.random(in: 0...30, using: &random), slots: slots, counted: counted, using: &random)
            let second = Self.items(size, slots: slots, counted: counted, using: &random)
            for (batch, items) in [first, second].enumerated() {
                Self.insertMany(items, into: &grouped, overwrite: overwrite && batch == 1)
                for item in items {
                    guard let bytes = item.bytes else { continue }
                    bytes.withUnsafeBytes {
                        _ = single.insert(
                            slot: item.slot, bytes: $0, hash: StableHash.hash($0), count: item.count,
                            overwrite: overwrite && batch == 1)
                    }
                    if overwrite && batch == 1 && model.counts[item.slot]?[bytes] != nil {
                        model.counts[item.slot]![bytes] = item.count
                    } else {
                        _ = model.insert(bytes, slot: item.slot, count: item.count)
                    }
                }
                #expect(Self.changed(grouped) == Self.changed(single), "seed \(seed) size \(size)")
                grouped.beginBatch()
                single.beginBatch()
            }
            for slot in 0..<slots {
                let found = ExecValueTableModelTests.contents(grouped, slot: slot)
                let expected = (model.values[slot] ?? []).map { ($0, counted ? model.counts[slot]![$0]! : 1) }
                #expect(found.map(\.0) == expected.map(\.0), "seed \(seed) size \(size) slot \(slot)")
                #expect(found.map(\.1) == expected.map(\.1), "seed \(seed) size \(size) slot \(slot)")
                #expect(grouped.entries(of: slot) == single.entries(of: slot), "seed \(seed) size \(size)")
            }
            #expect(grouped.entries.count == single.entries.count, "seed \(seed) size \(size)")
            #expect(grouped.index == single.index, "the same index, cell for cell: seed \(seed) size \(size)")
        }
    }
}
