/// SHA-256 (FIPS 180-4), written here because the toolchain ships no hash on Linux and the driver's
/// challenge-response authentication needs one.
public enum SHA256 {
    /// Length of a digest in bytes.
    public static let digestBytes = 32
    /// Length of one input block in bytes.
    public static let blockBytes = 64

    /// The SHA-256 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

/// Incremental SHA-256: feed bytes with `update` in any pieces, then take the digest once with `finalize`.
public struct SHA256Hasher: Sendable {
    private var state = SHA256State()
    /// Bytes of an incomplete block, held inline so a hasher never allocates.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    private var messageBytes: UInt64 = 0
    private var finished = false

    /// A hasher that has seen no bytes.
    public init() {}

    /// Feeds more message bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds more message bytes from raw memory.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        precondition(!finished, "SHA256Hasher used after finalize")
        messageBytes &+= UInt64(buffer.count)
        absorb(buffer)
    }

    /// Pads the message and returns its 32-byte digest; the hasher must not be used afterwards.
    public mutating func finalize() -> [UInt8] {
        precondition(!finished, "SHA256Hasher finalized twice")
        finished = true
        // Padding: one 1 bit, zeros up to 56 bytes into a block, then the message length in bits.
        let zeroBytes = (SHA256.blockBytes + 55 - pendingCount) % SHA256.blockBytes
        var padding = [UInt8](repeating: 0, count: 1 + zeroBytes + 8)
        padding[0] = 0x80
        let bitLength = messageBytes &* 8
        for index in 0..<8 { padding[1 + zeroBytes + index] = UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * index)) }
        padding.withUnsafeBytes { absorb($0) }
        precondition(pendingCount == 0, "SHA-256 padding left a partial block")
        return state.digest()
    }

    /// Runs whole blocks through the compression function and keeps any tail for later.
    private mutating func absorb(_ buffer: UnsafeRawBufferPointer) {
        var offset = 0
        if pendingCount > 0 {
            let take = min(SHA256.blockBytes - pendingCount, buffer.count)
            let start = pendingCount
            withUnsafeMutableBytes(of: &pending) { block in
                UnsafeMutableRawBufferPointer(rebasing: block[start..<start + take])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<take]))
            }
            pendingCount += take
            offset = take
            guard pendingCount == SHA256.blockBytes else { return }
            var blockState = state
            withUnsafeBytes(of: &pending) { blockState.compress($0) }
            state = blockState
            pendingCount = 0
        }
        let wholeBytes = (buffer.count - offset) / SHA256.blockBytes * SHA256.blockBytes
        if wholeBytes > 0 {
            state.compress(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + wholeBytes]))
            offset += wholeBytes
        }
        let rest = buffer.count - offset
        if rest > 0 {
            withUnsafeMutableBytes(of: &pending) { block in
                UnsafeMutableRawBufferPointer(rebasing: block[0..<rest])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[offset..<buffer.count]))
            }
            pendingCount = rest
        }
    }
}

/// The eight chaining words of SHA-256 and the compression function that advances them.
struct SHA256State: Sendable {
    var h0: UInt32 = 0x6a09_e667
    var h1: UInt32 = 0xbb67_ae85
    var h2: UInt32 = 0x3c6e_f372
    var h3: UInt32 = 0xa54f_f53a
    var h4: UInt32 = 0x510e_527f
    var h5: UInt32 = 0x9b05_688c
    var h6: UInt32 = 0x1f83_d9ab
    var h7: UInt32 = 0x5be0_cd19

    /// Compresses `blocks`, whose length must be a whole number of 64-byte blocks.
    mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        precondition(blocks.count % SHA256.blockBytes == 0, "SHA-256 compress needs whole blocks")
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            SHA256.roundConstants.withUnsafeBufferPointer { constants in
                var offset = 0
                while offset < blocks.count {
                    expandSchedule(blocks, at: offset, into: schedule)
                    runRounds(schedule, constants)
                    offset += SHA256.blockBytes
                }
            }
        }
    }

    /// Fills the 64-word message schedule from the block at `offset`.
    private func expandSchedule(
        _ blocks: UnsafeRawBufferPointer, at offset: Int, into schedule: UnsafeMutableBufferPointer<UInt32>
    ) {
        for index in 0..<16 {
            schedule[index] = UInt32(
                bigEndian: blocks.loadUnaligned(fromByteOffset: offset + 4 * index, as: UInt32.self))
        }
        for index in 16..<64 {
            let w15 = schedule[index - 15]
            let w2 = schedule[index - 2]
            let sigma0 = w15.rotatedRight(7) ^ w15.rotatedRight(18) ^ (w15 >> 3)
            let sigma1 = w2.rotatedRight(17) ^ w2.rotatedRight(19) ^ (w2 >> 10)
            schedule[index] = schedule[index - 16] &+ sigma0 &+ schedule[index - 7] &+ sigma1
        }
    }

    /// The 64 rounds over one expanded block, added into the chaining words.
    private mutating func runRounds(
        _ schedule: UnsafeMutableBufferPointer<UInt32>, _ constants: UnsafeBufferPointer<UInt32>
    ) {
        var (a, b, c, d, e, f, g, h) = (h0, h1, h2, h3, h4, h5, h6, h7)
        for index in 0..<64 {
            let bigSigma1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
            let choose = (e & f) ^ (~e & g)
            let temp1 = h &+ bigSigma1 &+ choose &+ constants[index] &+ schedule[index]
            let bigSigma0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let temp2 = bigSigma0 &+ majority
            (h, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ temp2)
        }
        h0 &+= a
        h1 &+= b
        h2 &+= c
        h3 &+= d
        h4 &+= e
        h5 &+= f
        h6 &+= g
        h7 &+= h
    }

    /// The chaining words as the 32-byte big-endian digest.
    func digest() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(SHA256.digestBytes)
        for word in [h0, h1, h2, h3, h4, h5, h6, h7] {
            out.append(UInt8(truncatingIfNeeded: word >> 24))
            out.append(UInt8(truncatingIfNeeded: word >> 16))
            out.append(UInt8(truncatingIfNeeded: word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
        }
        return out
    }
}

extension UInt32 {
    @inline(__always)
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 { (self >> count) | (self << (32 - count)) }
}
