import Testing

@testable import Wire

/// The three-lane hardware path and the zero-byte shift tables it joins lanes with.
@Suite(.dedicatedThread) struct CRC32CInterleavedTests {
    /// The register after `zeroBytes` zero bytes, one bit at a time, sharing nothing with the tables.
    static func shiftBitWise(_ register: UInt32, zeroBytes: Int) -> UInt32 {
        var state = register
        for _ in 0..<(8 * zeroBytes) { state = state & 1 == 1 ? (state >> 1) ^ 0x82F6_3B78 : state >> 1 }
        return state
    }

    @Test(arguments: [0, 1, 3, 8, 256, 1000, 8192])
    func shiftTablesMatchBitWiseShift(zeroBytes: Int) {
        let seed = BytesTestRandom.seed(0xC0FF_EE10)
        var random = BytesTestRandom(seed: seed)
        let shift = CRC32CZeroShift(zeroBytes: zeroBytes)
        for round in 0..<40 {
            let register = round < 32 ? UInt32(1) << UInt32(round) : UInt32.random(in: 0...UInt32.max, using: &random)
            #expect(
                shift.apply(register) == Self.shiftBitWise(register, zeroBytes: zeroBytes),
                "seed \(seed) round \(round) register \(register)")
        }
    }

    #if arch(x86_64)
        /// Lanes of 8 and 16 bytes make 24- and 48-byte blocks, so the 32-byte vectors cross a lane join.
        static let tinyLong = CRC32CZeroShift(zeroBytes: 16)
        static let tinyShort = CRC32CZeroShift(zeroBytes: 8)

        static func tiny(_ bytes: [UInt8]) -> UInt32 {
            bytes.withUnsafeBytes { CRC32C.interleavedUpdate(0, $0, long: tinyLong, short: tinyShort) }
        }

        /// The check value and RFC 3720 appendix B.4 vectors through both the tiny and the real lanes.
        @Test func publishedVectors() {
            let vectors: [([UInt8], UInt32)] = [
                (Array("123456789".utf8), 0xE306_9283),
                ([UInt8](repeating: 0, count: 32), 0x8A91_36AA),
                ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
                ((0..<32).map { UInt8($0) }, 0x46DD_794E),
                ((0..<32).reversed().map { UInt8($0) }, 0x113F_DB5C),
            ]
            for (bytes, expected) in vectors {
                #expect(Self.tiny(bytes) == expected, "vector \(bytes)")
                #expect(bytes.withUnsafeBytes { CRC32C.interleavedUpdate(0, $0) } == expected, "vector \(bytes)")
            }
        }

        /// Random lengths up to 100 KB, many near block boundaries, at random alignments and initial CRCs.
        @Test func matchesSoftwarePathOnRandomInputs() {
            let seed = BytesTestRandom.seed(0xC0FF_EE11)
            var random = BytesTestRandom(seed: seed)
            let pool = random.bytes(100_000 + 64)
            let longBlock = 3 * CRC32C.longLane.zeroBytes
            let shortBlock = 3 * CRC32C.shortLane.zeroBytes
            pool.withUnsafeBytes { all in
                for round in 0..<400 {
                    let start = Int.random(in: 0..<64, using: &random)
                    let nearBoundary =
                        Int.random(in: 0...4, using: &random) * longBlock + Int.random(in: 0...32, using: &random)
                        * shortBlock + Int.random(in: -9...9, using: &random)
                    let length =
                        round.isMultiple(of: 2)
                        ? Int.random(in: 0...100_000, using: &random) : max(0, min(100_000, nearBoundary))
                    let buffer = UnsafeRawBufferPointer(rebasing: all[start..<start + length])
                    let initial = UInt32.random(in: 0...UInt32.max, using: &random)
                    let software = CRC32C.softwareUpdate(initial, buffer)
                    #expect(
                        CRC32C.interleavedUpdate(initial, buffer) == software,
                        "seed \(seed) round \(round) start \(start) length \(length) crc \(initial)")
                    #expect(
                        CRC32C.interleavedUpdate(initial, buffer, long: Self.tinyLong, short: Self.tinyShort)
                            == software, "seed \(seed) round \(round) start \(start) length \(length) crc \(initial)")
                }
            }
        }
    #endif
}
