/// Advances a raw (uninverted) CRC-32C register over a fixed run of zero bytes in four lookups.
///
/// Over zero bytes the register update is linear over GF(2), so the run is a 32x32 bit matrix; its
/// columns are precomputed into four 256-entry tables, one per register byte. This is what lets
/// independent CRC streams over adjacent lanes be joined: the register after lanes A then B equals
/// A's register shifted over B's length, XORed with B's register when B started from zero.
struct CRC32CZeroShift: Sendable {
    /// The length of the zero run this shift advances over.
    let zeroBytes: Int
    /// Table k (entries `k * 256 ..< (k + 1) * 256`) maps byte k of the register to its contribution.
    let tables: [UInt32]

    init(zeroBytes: Int) {
        precondition(zeroBytes >= 0, "a CRC shift needs a non-negative length")
        self.zeroBytes = zeroBytes
        // Column i of the matrix is the image of register bit i.
        let columns = (0..<32).map { bit in Self.shiftByteWise(UInt32(1) << UInt32(bit), zeroBytes: zeroBytes) }
        var tables = [UInt32](repeating: 0, count: 4 * 256)
        for slot in 0..<4 {
            for byte in 0..<256 {
                var image: UInt32 = 0
                for bit in 0..<8 where byte & (1 << bit) != 0 { image ^= columns[8 * slot + bit] }
                tables[slot * 256 + byte] = image
            }
        }
        self.tables = tables
    }

    /// The register after `zeroBytes` zero bytes, starting from `register`.
    @inline(__always)
    func apply(_ register: UInt32, _ table: UnsafeBufferPointer<UInt32>) -> UInt32 {
        table[Int(register & 0xff)] ^ table[256 + Int((register >> 8) & 0xff)]
            ^ table[512 + Int((register >> 16) & 0xff)] ^ table[768 + Int(register >> 24)]
    }

    /// The register after `zeroBytes` zero bytes, starting from `register`.
    func apply(_ register: UInt32) -> UInt32 {
        tables.withUnsafeBufferPointer { apply(register, $0) }
    }

    /// One byte-table step per zero byte: slow, used only to build the tables.
    static func shiftByteWise(_ register: UInt32, zeroBytes: Int) -> UInt32 {
        CRC32C.tables.withUnsafeBufferPointer { table in
            var state = register
            for _ in 0..<zeroBytes { state = table[Int(state & 0xff)] ^ (state >> 8) }
            return state
        }
    }
}
