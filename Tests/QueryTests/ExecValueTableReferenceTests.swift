import Testing
import Wire

@testable import Query

/// `SlotValueTable` against a plain dictionary model: the same entries, order, counts, change
/// lists and section bytes, whatever mix of inline and arena values, NULLs, slots, overwrites and
/// index growth it meets, inserted as map tasks or as reduce merges insert; copies of a table
/// stay independent; and merged state counts what plain sets count.
@Suite struct ExecValueTableReferenceTests {
    /// Per (slot, value): the count; per slot: values in the order they arrived.
    struct Model {
        var counts: [Int32: [[UInt8]: Int64]] = [:]
        var order: [Int32: [[UInt8]]] = [:]

        /// Applies one insert; returns whether the value was new to its slot.
        mutating func insert(_ bytes: [UInt8], slot: Int32, count: Int64, overwrite: Bool) -> Bool {
            guard let old = counts[slot, default: [:]][bytes] else {
                counts[slot, default: [:]][bytes] = count
                order[slot, default: []].append(bytes)
                return true
            }
            counts[slot]![bytes] = overwrite ? count : old + count
            return false
        }
    }

    /// A value from a pool of `pool`, at lengths around the inline limit and well past it; values
    /// of different lengths share prefixes, so a cell's words alone must not decide a match.
    static func value(pool: Int, using random: inout SeededRandom) -> [UInt8] {
        let id = Int.random(in: 0..<pool, using: &random)
        let length = [0, 1, 7, 8, 9, 15, 16, 17, 24, 40][id % 10]
        let text = Array(String(repeating: "\(id)/", count: 40).utf8)
        return Array(text.prefix(length))
    }

    static func uvarint(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        return out + [UInt8(rest)]
    }

    /// The section `ValueSection.write` must produce for `values` (with counts when counted).
    static func section(_ values: [([UInt8], Int64)], counted: Bool) -> [UInt8] {
        var body: [UInt8] = []
        for (bytes, count) in values {
            body += uvarint(UInt64(bytes.count)) + bytes
            if counted { body += uvarint(UInt64(bitPattern: (count << 1) ^ (count >> 63))) }
        }
        return uvarint(UInt64(values.count)) + uvarint(UInt64(body.count)) + body
    }

    /// Checks every slot of `table` against `model`: entries in order, counts, lookups and bytes.
    static func check(_ table: SlotValueTable, _ model: Model, slots: Int32, counted: Bool, context: String) {
        for slot in 0..<slots {
            let expected = (model.order[slot] ?? []).map { ($0, counted ? model.counts[slot]![$0]! : 1) }
            let entries = table.entries(of: slot)
            let found = entries.map { entry in (table.withBytes(of: entry) { Array($0) }, table.count(of: entry)) }
            #expect(found.map(\.0) == expected.map(\.0), "\(context) slot \(slot)")
            #expect(found.map(\.1) == expected.map(\.1), "\(context) slot \(slot)")
            for (position, (bytes, _)) in expected.enumerated() {
                let entry = bytes.withUnsafeBytes { table.find(slot: slot, bytes: $0, hash: StableHash.hash($0)) }
                #expect(entry != nil && entry == entries[position], "\(context) slot \(slot)")
            }
            var writer = ByteWriter()
            ValueSection.write(entries, of: table, into: &writer)
            #expect(writer.bytes == section(expected, counted: counted), "\(context) slot \(slot)")
        }
    }

    /// `items` in groups of `SlotValueTable.groupValues` through `insertGroup`, as a reduce merge
    /// inserts them (NULLs, which a merge never meets, are left out).
    static func insertGroups(
        _ items: [ExecValueTableGroupTests.Item], into table: inout SlotValueTable, overwrite: Bool
    ) {
        let present = items.filter { $0.bytes != nil }
        var base: [UInt8] = []
        var pending: [SlotValueTable.PendingValue] = []
        for item in present {
            let bytes = item.bytes ?? []
            let range = base.count..<base.count + bytes.count
            base += bytes
            let hash = bytes.withUnsafeBytes { StableHash.hash($0) }
            pending.append(.init(range, hash: hash, slot: item.slot, count: item.count))
        }
        base.withUnsafeBytes { base in
            pending.withUnsafeMutableBufferPointer { all in
                for start in stride(from: 0, to: all.count, by: SlotValueTable.groupValues) {
                    let group = UnsafeMutableBufferPointer(
                        rebasing: all[start..<min(all.count, start + SlotValueTable.groupValues)])
                    table.insertGroup(group, base: base, overwrite: overwrite)
                }
            }
        }
    }

    @Test(arguments: [false, true], [false, true])
    func tableAgreesWithADictionaryModel(counted: Bool, asMerges: Bool) {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecValueTableReferenceTests.model seed \(seed) asMerges \(asMerges)")
        var random = SeededRandom(seed: seed)
        for round in 0..<6 {
            let slots = Int32.random(in: 1...200, using: &random)
            let pool = [20, 400, 3_000][round % 3]
            var table = SlotValueTable(counted: counted, tracking: true)
            var single = table
            var model = Model()
            for batch in 0..<5 {
                let context = "seed \(seed) round \(round) batch \(batch)"
                let overwrite = counted && batch % 2 == 1
                // No reservation: the index grows in the middle of groups, from empty on.
                let items = (0..<Int.random(in: 0...2_000, using: &random)).map { _ in
                    ExecValueTableGroupTests.Item(
                        bytes: Int.random(in: 0..<10, using: &random) == 0
                            ? nil : Self.value(pool: pool, using: &random),
                        slot: Int32.random(in: 0..<slots, using: &random),
                        count: counted ? Int64.random(in: 1...5, using: &random) : 1)
                }
                if asMerges {
                    Self.insertGroups(items, into: &table, overwrite: overwrite)
                } else {
                    ExecValueTableGroupTests.insertMany(items, into: &table, overwrite: overwrite)
                }
                for item in items {
                    guard let bytes = item.bytes else { continue }
                    bytes.withUnsafeBytes {
                        _ = single.insert(
                            slot: item.slot, bytes: $0, hash: StableHash.hash($0), count: item.count,
                            overwrite: overwrite)
                    }
                }
                #expect(table.index == single.index, "the same index as one by one, cell for cell: \(context)")
                #expect(table.entries.count == single.entries.count, "\(context)")
                // Changed this batch, as the table must list them: values it held before whose
                // counts changed (counted tables only), in the order they first changed, then the
                // values new this batch in the order they arrived.
                var older: [[UInt8]] = []
                var arrived: [[UInt8]] = []
                var seen: Set<[UInt8]> = []
                for item in items {
                    guard let bytes = item.bytes else { continue }
                    let key = Array(String(item.slot).utf8) + [0xFF] + bytes
                    let isNew = model.insert(bytes, slot: item.slot, count: item.count, overwrite: overwrite)
                    guard seen.insert(key).inserted else { continue }
                    if isNew {
                        arrived.append(key)
                    } else if counted {
                        older.append(key)
                    }
                }
                var listed: [[UInt8]] = []
                table.forEachChanged { entry in
                    listed.append(
                        Array(String(table.slot(of: entry)).utf8) + [0xFF] + table.withBytes(of: entry) { Array($0) })
                }
                #expect(listed == older + arrived, "\(context)")
                Self.check(table, model, slots: slots, counted: counted, context: context)
                table.beginBatch()
                single.beginBatch()
            }
        }
    }

    @Test func copiesOfATableStayIndependent() {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecValueTableReferenceTests.copies seed \(seed)")
        var random = SeededRandom(seed: seed)
        var table = SlotValueTable(counted: true)
        var model = Model()
        table.ensureSlots(8)
        // Each round copies the table and changes only the copy, then the original: on write each
        // gets storage of its own, and neither may see the other's values.
        for round in 0..<40 {
            let context = "seed \(seed) round \(round)"
            var copy = table
            var copyModel = model
            Self.insertRandom(into: &copy, model: &copyModel, count: 2, context: context, using: &random)
            Self.check(copy, copyModel, slots: 8, counted: true, context: context + " copy")
            Self.check(table, model, slots: 8, counted: true, context: context + " original")
            Self.insertRandom(into: &table, model: &model, count: 1, context: context, using: &random)
            Self.check(table, model, slots: 8, counted: true, context: context + " original")
            Self.check(copy, copyModel, slots: 8, counted: true, context: context + " copy after")
        }
    }

    /// 1 to 60 random values into 8 slots of `table` and `model` alike, each with `count`.
    static func insertRandom(
        into table: inout SlotValueTable, model: inout Model, count: Int64, context: String,
        using random: inout SeededRandom
    ) {
        for _ in 0..<Int.random(in: 1...60, using: &random) {
            let bytes = value(pool: 500, using: &random)
            let slot = Int32.random(in: 0..<8, using: &random)
            let isNew = model.insert(bytes, slot: slot, count: count, overwrite: false)
            let inserted = bytes.withUnsafeBytes {
                table.insert(slot: slot, bytes: $0, hash: StableHash.hash($0), count: count)
            }
            #expect(inserted.isNew == isNew, "\(context)")
        }
    }

    /// Map and reduce tasks over generated clicks emit, for every window, what plain sets of the
    /// clicks' users and IPs say (`ExpectedWindows`, kept outside the tasks).
    @Test func mergedStateCountsWhatPlainSetsCount() throws {
        let result = try ExecBenchmark.runClicks(events: 300_000, batchRows: 50_000, mapTasks: 2, nowNs: { 0 })
        #expect(result.outputRows > 0)
        #expect(result.exact)
    }
}
