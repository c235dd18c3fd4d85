/// A 64-bit hash that is the same on every process, machine and run (unlike Swift's `Hasher`,
/// which is seeded per process), so map tasks everywhere agree on where a group goes and sketches
/// merge across processes. Words are read little-endian explicitly.
public enum StableHash {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9

    /// The hash of `bytes`, varied by `seed`.
    @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var state = seed &+ prime3 &+ UInt64(truncatingIfNeeded: bytes.count) &* prime1
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            state = round(state, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            index += 8
        }
        if index < count {
            // The length is already in the state, so zero padding cannot make two inputs collide.
            state = round(state, tail(bytes, from: index))
        }
        return mix(state)
    }

    /// The last `bytes.count - start` (1 to 7) bytes as a little-endian word, zero-padded: one or
    /// two loads that may overlap bytes already hashed, shifted so those drop out.
    @inline(__always)
    static func tail(_ bytes: UnsafeRawBufferPointer, from start: Int) -> UInt64 {
        let count = bytes.count
        let remaining = count - start
        if count >= 8 {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            return word >> UInt64((8 - remaining) * 8)
        }
        if remaining >= 4 {
            let low = UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
            return low | (high >> UInt64((8 - remaining) * 8)) << 32
        }
        var word = UInt64(bytes[start])
        if remaining > 1 { word |= UInt64(bytes[start + 1]) << 8 }
        if remaining > 2 { word |= UInt64(bytes[start + 2]) << 16 }
        return word
    }

    /// The hash of a byte array.
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    /// The hash of one 64-bit word.
    @inline(__always)
    public static func hash(word: UInt64, seed: UInt64 = 0) -> UInt64 {
        mix(round(seed &+ prime3 &+ 8 &* prime1, word))
    }

    @inline(__always)
    private static func round(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let folded = state ^ rotate(word &* prime2, 31) &* prime1
        return rotate(folded, 27) &* prime1 &+ 0x85EB_CA77_C2B2_AE63
    }

    /// MurmurHash3's finalizer: every input bit affects every output bit.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    @inline(__always)
    private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 { (value << bits) | (value >> (64 - bits)) }
}
