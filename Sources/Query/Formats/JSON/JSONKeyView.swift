/// `JSONKeyTable` through pointers, for the hot loop.
struct JSONKeyView {
    let longest: Int
    let nameStartsAt: Int
    let foldedAt: Int
    let slotCount: Int
    let unambiguous: Bool
    let index: UnsafePointer<Int>
    let bytes: UnsafePointer<UInt8>?
    let words: UnsafePointer<UInt64>
    let table: UnsafePointer<Int>
    let tableMask: Int

    init(
        _ keys: JSONKeyTable, _ index: UnsafePointer<Int>, _ bytes: UnsafePointer<UInt8>?,
        _ words: UnsafePointer<UInt64>,
        _ table: UnsafeBufferPointer<Int>
    ) {
        longest = keys.longest
        nameStartsAt = keys.nameStartsAt
        foldedAt = keys.foldedAt
        slotCount = (keys.words.count - table.count) / 2
        unambiguous = keys.unambiguous
        self.index = index
        self.bytes = bytes
        self.words = words
        self.table = table.baseAddress!
        tableMask = table.count - 1
    }

    /// True when some slot's name has `length` bytes (the cheap test before `assign`).
    @inline(__always)
    func hasCandidates(length: Int) -> Bool { length <= longest && index[length] < index[length + 1] }

    /// Which slot `key` names: ASCII case-insensitively, rank 2 for an exact match and 1 for a
    /// case-insensitive one. `limit` is where readable memory after the key ends.
    @inline(__always)
    func match(key: UnsafePointer<UInt8>, length: Int, limit: UnsafePointer<UInt8>) -> JSONKeyMatch {
        guard hasCandidates(length: length) else { return .none }
        guard unambiguous else { return .several }
        guard length <= 8 && limit - key >= 8 else { return matchByScan(key, length) }
        // The common case, inline: a short name, found by one probe or a few.
        let keyWord =
            UInt64(littleEndian: UnsafeRawPointer(key).loadUnaligned(as: UInt64.self))
            & (length == 8 ? UInt64.max : (1 << (UInt64(length) * 8)) &- 1)
        let foldedWord = Self.lowercased(keyWord)
        var position = Self.hash(foldedWord, length: length, tableSize: tableMask + 1)
        while true {
            let entry = table[position]
            if entry < 0 { return .none }
            if entry >> 32 == length && words[2 * slotCount + position] == foldedWord {
                let slot = entry & 0xFFFF_FFFF
                return JSONKeyMatch(slot: slot, rank: keyWord == words[slot] ? 2 : 1)
            }
            position = (position + 1) & tableMask
        }
    }

    /// Records `token` for the slot `match` names, unless the slot already holds a value from an
    /// exact match and this one is only case-insensitive. A key that occurs twice with the same
    /// match quality: the last one wins, as in Spark and most JSON libraries.
    @inline(__always)
    func store(
        _ token: JSONToken, _ match: JSONKeyMatch, key: UnsafePointer<UInt8>, length: Int,
        _ tokens: UnsafeMutablePointer<JSONToken>
    ) {
        if match.slot >= 0 {
            store(token, rank: match.rank, slot: match.slot, tokens)
        } else if match.slot == JSONKeyMatch.several.slot {
            assignEveryMatch(key, length, token, tokens)
        }
    }

    @inline(__always)
    func store(_ token: JSONToken, rank: UInt8, slot: Int, _ tokens: UnsafeMutablePointer<JSONToken>) {
        guard rank >= tokens[slot].rank else { return }
        // One whole store: a byte stored over it after would stall the whole-token load that
        // reads it back (store forwarding cannot merge the two).
        var ranked = token
        ranked.rank = rank
        tokens[slot] = ranked
    }

    /// `match` for long keys and keys at the record's very end, in a table where a key names at
    /// most one slot: every candidate of the key's length, byte by byte.
    func matchByScan(_ key: UnsafePointer<UInt8>, _ length: Int) -> JSONKeyMatch {
        guard let bytes else { return .none }
        for candidate in index[length]..<index[length + 1] {
            let slot = index[candidate]
            let name = bytes + index[nameStartsAt + slot]
            if Self.equal(key, name, length) { return JSONKeyMatch(slot: slot, rank: 2) }
            if Self.foldedEqual(key, name + foldedAt, length) { return JSONKeyMatch(slot: slot, rank: 1) }
        }
        return .none
    }

    /// For tables where two names differ only in case: records `token` for every slot `key` names.
    func assignEveryMatch(
        _ key: UnsafePointer<UInt8>, _ length: Int, _ token: JSONToken, _ tokens: UnsafeMutablePointer<JSONToken>
    ) {
        guard let bytes, hasCandidates(length: length) else { return }
        for candidate in index[length]..<index[length + 1] {
            let slot = index[candidate]
            let name = bytes + index[nameStartsAt + slot]
            if Self.equal(key, name, length) {
                store(token, rank: 2, slot: slot, tokens)
            } else if Self.foldedEqual(key, name + foldedAt, length) {
                store(token, rank: 1, slot: slot, tokens)
            }
        }
    }

    static func prefixWord(_ name: [UInt8]) -> UInt64 {
        name.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    @inline(__always)
    static func hash(_ word: UInt64, length: Int, tableSize: Int) -> Int {
        Int(truncatingIfNeeded: ((word ^ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15) >> 40) & (tableSize - 1)
    }

    /// `word` with every byte A...Z made a...z (bytes of 0x80 and above untouched), lane by lane.
    @inline(__always)
    static func lowercased(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7 = word & (ones &* 0x7F)
        let atLeastA = low7 &+ ones &* (0x80 - 0x41)
        let aboveZ = low7 &+ ones &* (0x80 - 0x5B)
        let upper = atLeastA & ~aboveZ & ~word & (ones &* 0x80)
        return word | upper >> 2
    }

    @inline(__always)
    static func equal(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var position = 0
        while position < count {
            if left[position] != right[position] { return false }
            position += 1
        }
        return true
    }

    static func foldedEqual(_ key: UnsafePointer<UInt8>, _ folded: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for position in 0..<count where ASCII.lowercased(key[position]) != folded[position] { return false }
        return true
    }
}

/// The slot a key names.
struct JSONKeyMatch {
    /// The slot, or -1 for none, -2 when the key may name several (see `assignEveryMatch`), -3
    /// when the key is written with escapes and must be unescaped first.
    var slot: Int
    /// 2 for an exact match, 1 for a case-insensitive one.
    var rank: UInt8

    static let none = JSONKeyMatch(slot: -1, rank: 0)
    static let several = JSONKeyMatch(slot: -2, rank: 0)
    static let escaped = JSONKeyMatch(slot: -3, rank: 0)
}
