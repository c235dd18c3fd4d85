/// Matches object keys to decoder slots, ASCII case-insensitively with an exact match preferred
/// (Spark matches columns case-insensitively; non-ASCII letters must match exactly). Slots are
/// found by key length first (most keys of a record are not wanted and stop there), then in a
/// small hash table by the key's length and first eight lowercased bytes. When two slots' names
/// differ only in case (a schema Spark would refuse), a key may match both, and a slower scan
/// over every candidate of its length handles it. Stored flat so the hot loop reads it through
/// pointers.
struct JSONKeyTable: Sendable {
    /// `index[0...longest + 1]`: where the candidates of each key length start (absolute positions
    /// in `index`); then the candidate slots; then, at `nameStartsAt`, where each slot's name
    /// starts in `bytes` (slot count + 1 entries).
    let index: [Int]
    /// The slots' names, then the same ASCII-lowercased from `foldedAt`.
    let bytes: [UInt8]
    /// Each slot's first eight name bytes, little-endian, zero-padded; then the same of the
    /// lowercased names (from `slotCount`); then the hash table's lowercased words (from `2 * slotCount`).
    let words: [UInt64]
    /// The hash table: `length << 32 | slot` per entry, -1 for empty; a power of two in size.
    let table: [Int]
    let longest: Int
    let nameStartsAt: Int
    let foldedAt: Int
    /// True when no two names are equal ignoring case, so a key matches at most one slot.
    let unambiguous: Bool

    init(names: [String]) {
        let names = names.map { Array($0.utf8) }
        let folded = names.map { $0.map(ASCII.lowercased) }
        longest = names.map(\.count).max() ?? 0
        var candidates: [Int] = []
        var boundaries: [Int] = []
        for length in 0...longest + 1 {
            boundaries.append(longest + 2 + candidates.count)
            if length <= longest { candidates += names.indices.filter { names[$0].count == length } }
        }
        nameStartsAt = boundaries.count + candidates.count
        var starts = [0]
        for name in names { starts.append(starts[starts.count - 1] + name.count) }
        index = boundaries + candidates + starts
        foldedAt = starts[starts.count - 1]
        bytes = names.flatMap { $0 } + folded.flatMap { $0 }
        unambiguous = Set(folded).count == folded.count
        var tableSize = 4
        while tableSize < 4 * names.count { tableSize *= 2 }
        var table = [Int](repeating: -1, count: tableSize)
        var tableWords = [UInt64](repeating: 0, count: tableSize)
        for (slot, name) in folded.enumerated() {
            let word = JSONKeyView.prefixWord(name)
            var position = JSONKeyView.hash(word, length: name.count, tableSize: tableSize)
            while table[position] >= 0 { position = (position + 1) & (tableSize - 1) }
            table[position] = name.count << 32 | slot
            tableWords[position] = word
        }
        self.table = table
        words = names.map(JSONKeyView.prefixWord) + folded.map(JSONKeyView.prefixWord) + tableWords
    }

    /// Calls `body` with a view for the hot loop.
    func withView<R>(_ body: (JSONKeyView) -> R) -> R {
        index.withUnsafeBufferPointer { index in
            bytes.withUnsafeBufferPointer { bytes in
                words.withUnsafeBufferPointer { words in
                    table.withUnsafeBufferPointer { table in
                        body(JSONKeyView(self, index.baseAddress!, bytes.baseAddress, words.baseAddress!, table))
                    }
                }
            }
        }
    }
}
