import Testing

@testable import Query

/// The byte order snapshots write distinct values in.
@Suite struct ExecValueSortTests {
    /// Random values (empty, short, inline-length, long; shared prefixes, zero bytes, high bytes)
    /// come out of `sortedByBytes` in the order Swift's lexicographic comparison of the byte arrays
    /// gives, a shorter prefix first, in indexed and unindexed tables.
    @Test func valuesSortLikeTheirBytes() {
        var random = QueryTestRandom(seed: 0x50_47)
        for indexed in [true, false] {
            for _ in 0..<40 {
                var table = SlotValueTable(counted: false, indexed: indexed)
                table.ensureSlots(1)
                var values = Set<[UInt8]>()
                let prefix = (0..<Int.random(in: 0...20, using: &random)).map { _ in
                    UInt8.random(in: 0...2, using: &random)
                }
                for _ in 0..<Int.random(in: 1...300, using: &random) {
                    let tail = (0..<Int.random(in: 0...24, using: &random)).map { _ in
                        [0, 1, 0x7f, 0x80, 0xff, UInt8.random(in: 0...255, using: &random)].randomElement(
                            using: &random)!
                    }
                    let value = Array(prefix.prefix(Int.random(in: 0...prefix.count, using: &random))) + tail
                    guard values.insert(value).inserted else { continue }
                    value.withUnsafeBytes { bytes in
                        _ = table.insert(slot: 0, bytes: bytes, hash: StableHash.hash(bytes))
                    }
                }
                let sorted = table.sortedByBytes(table.entries(of: 0)).map { entry in
                    table.withBytes(of: entry) { Array($0) }
                }
                #expect(sorted == values.sorted { $0.lexicographicallyPrecedes($1) })
            }
        }
    }
}
