// Byte-range comparisons shared by ordering, grouping and value tables.

/// -1, 0 or 1 as `a` sorts before, equal to or after `b`, bytewise (a shorter prefix first).
@inline(__always)
func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
    let common = min(a.count, b.count)
    if common > 0, let baseA = a.baseAddress, let baseB = b.baseAddress {
        let rawA = UnsafeRawPointer(baseA)
        let rawB = UnsafeRawPointer(baseB)
        var index = 0
        // Big-endian words compare in the same order as their bytes do.
        while index + 8 <= common {
            let wordA = rawA.loadUnaligned(fromByteOffset: index, as: UInt64.self).bigEndian
            let wordB = rawB.loadUnaligned(fromByteOffset: index, as: UInt64.self).bigEndian
            if wordA != wordB { return wordA < wordB ? -1 : 1 }
            index += 8
        }
        while index < common {
            if baseA[index] != baseB[index] { return baseA[index] < baseB[index] ? -1 : 1 }
            index += 1
        }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// Whether two byte ranges hold the same bytes.
@inline(__always)
func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    var index = 0
    while index + 8 <= a.count {
        if a.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            != b.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        {
            return false
        }
        index += 8
    }
    while index < a.count {
        if a[index] != b[index] { return false }
        index += 1
    }
    return true
}
