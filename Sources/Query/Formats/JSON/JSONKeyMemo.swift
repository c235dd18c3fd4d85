/// The keys of the previous records, by position: records of one stream mostly repeat the same
/// keys in the same order, so the scanner first checks whether the next bytes are exactly the
/// `"key":` seen at this position before, with the separator and whitespace before it after the
/// first member (two word compares). On a hit the key needs no
/// scanning, validating or matching: those bytes were validated and matched when they were
/// remembered. On a miss it scans as usual and remembers the new key.
struct JSONKeyMemo {
    /// Members remembered per record; later ones are always scanned.
    static let positions = 32
    /// Longest `,"key":` remembered, in bytes (two words).
    static let bytesMax = 16

    struct Entry {
        var first: UInt64 = 0
        var second: UInt64 = 0
        var firstMask: UInt64 = 0
        var secondMask: UInt64 = 0
        /// Bytes of `,"key":`; 0 for an empty entry.
        var length = 0
        /// Bytes of the key alone.
        var keyLength = 0
        var match = JSONKeyMatch.none
    }

    let entries: UnsafeMutablePointer<Entry>

    init() {
        entries = .allocate(capacity: Self.positions)
        entries.initialize(repeating: Entry(), count: Self.positions)
    }

    func deallocate() { entries.deallocate() }

    /// The length of the `,"key":` remembered at `position` if the bytes at `cursor` (`available`
    /// of them readable) are exactly it, else 0.
    @inline(__always)
    func hit(_ position: Int, _ cursor: UnsafePointer<UInt8>, available: Int) -> Int {
        guard position < Self.positions else { return 0 }
        let entry = entries + position
        let length = entry.pointee.length
        guard length > 0 else { return 0 }
        let first: UInt64
        let second: UInt64
        if available >= Self.bytesMax {
            first = UInt64(littleEndian: UnsafeRawPointer(cursor).loadUnaligned(as: UInt64.self))
            second = UInt64(littleEndian: UnsafeRawPointer(cursor + 8).loadUnaligned(as: UInt64.self))
        } else {
            // Near the record's end: read only what is there.
            guard available >= length else { return 0 }
            if length >= 8 {
                // The last key of a record mostly: two loads that end at the key's end.
                first = UInt64(littleEndian: UnsafeRawPointer(cursor).loadUnaligned(as: UInt64.self))
                let last = UInt64(littleEndian: UnsafeRawPointer(cursor + length - 8).loadUnaligned(as: UInt64.self))
                second = length == 8 ? 0 : last &>> UInt64(8 * (16 - length))
            } else {
                (first, second) = Self.words(cursor, count: length)
            }
        }
        let matches =
            first & entry.pointee.firstMask == entry.pointee.first
            && second & entry.pointee.secondMask == entry.pointee.second
        return matches ? length : 0
    }

    /// The length of the key remembered at `position`.
    @inline(__always)
    func keyLength(_ position: Int) -> Int { entries[position].keyLength }

    /// The slot the key remembered at `position` names.
    @inline(__always)
    func match(_ position: Int) -> JSONKeyMatch { entries[position].match }

    /// `count` (≤ 16) bytes at `start` as two little-endian words, zero-filled.
    static func words(_ start: UnsafePointer<UInt8>, count: Int) -> (UInt64, UInt64) {
        var first: UInt64 = 0
        var second: UInt64 = 0
        for index in 0..<count {
            let bit = UInt64(start[index]) << (8 * UInt64(index & 7))
            if index < 8 { first |= bit } else { second |= bit }
        }
        return (first, second)
    }

    /// Remembers `,"key":` of `length` bytes at `start` (validated, no escapes) for `position`.
    func remember(_ position: Int, _ start: UnsafePointer<UInt8>, length: Int, keyLength: Int, match: JSONKeyMatch) {
        guard position < Self.positions, length <= Self.bytesMax else { return }
        var entry = Entry(length: length, keyLength: keyLength, match: match)
        (entry.first, entry.second) = Self.words(start, count: length)
        entry.firstMask = length >= 8 ? UInt64.max : (1 << (8 * UInt64(length))) &- 1
        entry.secondMask = length >= 16 ? UInt64.max : length <= 8 ? 0 : (1 << (8 * UInt64(length - 8))) &- 1
        entries[position] = entry
    }
}
