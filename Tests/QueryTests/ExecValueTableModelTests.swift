import Testing

@testable import Query

/// `SlotValueTable`'s compaction and change tracking against a plain model: per slot, a list of
/// distinct values in the order they arrived, with their counts.
@Suite struct ExecValueTableModelTests {
    struct Model {
        var values: [Int32: [[UInt8]]] = [:]
        var counts: [Int32: [[UInt8]: Int64]] = [:]

        mutating func insert(_ bytes: [UInt8], slot: Int32, count: Int64) -> Bool {
            let isNew = counts[slot, default: [:]][bytes] == nil
            if isNew { values[slot, default: []].append(bytes) }
            counts[slot, default: [:]][bytes, default: 0] += count
            return isNew
        }
    }

    /// Short (inline) and long (arena) values from a small pool, so many repeat.
    static func value(using random: inout SeededRandom) -> [UInt8] {
        let id = Int.random(in: 0..<300, using: &random)
        let length = [0, 3, 11, 16, 17, 40][id % 6]
        return Array(String(repeating: "v\(id)-", count: 12).utf8.prefix(length))
            + (length == 0 ? [] : [UInt8(id % 251)])
    }

    static func contents(_ table: SlotValueTable, slot: Int32) -> [([UInt8], Int64)] {
        table.entries(of: slot).map { entry in (table.withBytes(of: entry) { Array($0) }, table.count(of: entry)) }
    }

    @Test(arguments: [false, true]) func compactionKeepsExactlyTheKeptSlots(counted: Bool) {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecValueTableModelTests.compaction seed \(seed)")
        var random = SeededRandom(seed: seed)
        for _ in 0..<20 {
            var table = SlotValueTable(counted: counted, tracking: true)
            var model = Model()
            let slots = Int32.random(in: 1...12, using: &random)
            table.ensureSlots(Int(slots))
            for _ in 0..<Int.random(in: 0...600, using: &random) {
                let slot = Int32.random(in: 0..<slots, using: &random)
                let bytes = Self.value(using: &random)
                let count = counted ? Int64.random(in: 1...5, using: &random) : 1
                let isNew = model.insert(bytes, slot: slot, count: count)
                let inserted = bytes.withUnsafeBytes {
                    table.insert(slot: slot, bytes: $0, hash: StableHash.hash($0), count: count)
                }
                #expect(inserted.isNew == isNew, "seed \(seed)")
            }
            let kept = (0..<slots).filter { _ in Bool.random(using: &random) }
            for slot in 0..<slots where !kept.contains(slot) { table.clear(slot: slot) }
            var compacted = table.compacted(keeping: kept)
            // A compacted table starts a batch: nothing in it has changed yet.
            #expect(compacted.changedCount == 0, "seed \(seed)")
            for (newSlot, oldSlot) in kept.enumerated() {
                // An uncounted table holds each value once, whatever arrived.
                let expected = (model.values[oldSlot] ?? []).map { ($0, counted ? model.counts[oldSlot]![$0]! : 1) }
                let found = Self.contents(compacted, slot: Int32(newSlot))
                #expect(found.map(\.0) == expected.map(\.0), "seed \(seed)")
                #expect(found.map(\.1) == expected.map(\.1), "seed \(seed)")
                // The rebuilt index finds every kept value, and only in its own slot.
                for (bytes, _) in expected {
                    let entry = bytes.withUnsafeBytes {
                        compacted.find(slot: Int32(newSlot), bytes: $0, hash: StableHash.hash($0))
                    }
                    #expect(entry != nil, "seed \(seed)")
                    let again = bytes.withUnsafeBytes {
                        compacted.insert(slot: Int32(newSlot), bytes: $0, hash: StableHash.hash($0), count: 1)
                    }
                    #expect(!again.isNew, "seed \(seed)")
                }
            }
        }
    }

    @Test(arguments: [false, true]) func changedEntriesAreWhatChangedThisBatch(counted: Bool) {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecValueTableModelTests.changed seed \(seed)")
        var random = SeededRandom(seed: seed)
        var table = SlotValueTable(counted: counted, tracking: true)
        var model = Model()
        for batch in 0..<12 {
            var changed: Set<[UInt8]> = []
            for _ in 0..<Int.random(in: 0...300, using: &random) {
                let slot = Int32.random(in: 0..<4, using: &random)
                let bytes = Self.value(using: &random)
                let isNew = model.insert(bytes, slot: slot, count: 1)
                bytes.withUnsafeBytes { _ = table.insert(slot: slot, bytes: $0, hash: StableHash.hash($0), count: 1) }
                // An uncounted value changes only when it arrives; a counted one whenever it is seen.
                if isNew || counted { changed.insert([UInt8(slot)] + bytes) }
            }
            var listed: [[UInt8]] = []
            table.forEachChanged { entry in
                listed.append([UInt8(table.slot(of: entry))] + table.withBytes(of: entry) { Array($0) })
            }
            #expect(listed.count == table.changedCount, "seed \(seed) batch \(batch)")
            #expect(Set(listed) == changed && listed.count == changed.count, "seed \(seed) batch \(batch)")
            // Grouped by slot, each slot's changes keep the order they were listed in.
            let grouped = ChangedEntries(table, slotCount: 4)
            for slot in Int32(0)..<4 {
                var own: [Int32] = []
                table.forEachChanged { if table.slot(of: $0) == slot { own.append($0) } }
                #expect(grouped.entries(of: slot) == own, "seed \(seed) batch \(batch)")
            }
            table.beginBatch()
            #expect(table.changedCount == 0)
        }
    }
}
