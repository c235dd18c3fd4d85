import Testing
import Wire

/// CRC-32C checked against published vectors and against a bit-at-a-time reference over random inputs.
@Suite(.dedicatedThread) struct CRC32CTests {
    /// The textbook definition, one bit at a time, sharing nothing with the slicing-by-8 tables.
    static func reference(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func emptyInputIsZero() {
        #expect(CRC32C.checksum([]) == 0)
        #expect(CRC32C.update(0x1234_5678, UnsafeRawBufferPointer(start: nil, count: 0)) == 0x1234_5678)
    }

    /// RFC 3720 appendix B.4, the iSCSI test vectors.
    @Test func iscsiVectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    @Test func referenceAgreesWithVectors() {
        #expect(Self.reference(Array("123456789".utf8)[...]) == 0xE306_9283)
        #expect(Self.reference([UInt8](repeating: 0xFF, count: 32)[...]) == 0x62A8_AB43)
    }

    /// Random lengths at random alignments exercise both the 8-byte loop and the byte-wise tail.
    @Test func tableMatchesBitwiseReferenceOnRandomInputs() {
        let seed = BytesTestRandom.seed(0xC0FF_EE01)
        var random = BytesTestRandom(seed: seed)
        let pool = random.bytes(320)
        for round in 0..<3000 {
            let start = Int.random(in: 0..<16, using: &random)
            let length = Int.random(in: 0...300, using: &random)
            let range = start..<start + length
            let expected = Self.reference(pool[range])
            #expect(CRC32C.checksum(pool, range: range) == expected, "seed \(seed) round \(round) range \(range)")
            let viaPointer = pool.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[range])) }
            #expect(viaPointer == expected, "seed \(seed) round \(round) range \(range)")
            #expect(CRC32C.checksum(Array(pool[range])) == expected, "seed \(seed) round \(round) range \(range)")
        }
    }

    @Test func updateChainingEqualsOneShotAtEverySplit() {
        let seed = BytesTestRandom.seed(0xC0FF_EE02)
        var random = BytesTestRandom(seed: seed)
        let data = random.bytes(100)
        let whole = CRC32C.checksum(data)
        data.withUnsafeBytes { buffer in
            for split in 0...data.count {
                let first = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: buffer[0..<split]))
                let both = CRC32C.update(first, UnsafeRawBufferPointer(rebasing: buffer[split...]))
                #expect(both == whole, "seed \(seed) split \(split)")
            }
        }
    }

    @Test func updateChainingOverManyRandomPieces() {
        let seed = BytesTestRandom.seed(0xC0FF_EE03)
        var random = BytesTestRandom(seed: seed)
        for round in 0..<200 {
            let data = random.bytes(Int.random(in: 0...400, using: &random))
            var crc: UInt32 = 0
            var offset = 0
            while offset < data.count {
                let piece = Int.random(in: 0...min(37, data.count - offset), using: &random)
                crc = data.withUnsafeBytes {
                    CRC32C.update(crc, UnsafeRawBufferPointer(rebasing: $0[offset..<offset + piece]))
                }
                offset += piece
            }
            #expect(crc == CRC32C.checksum(data), "seed \(seed) round \(round)")
        }
    }

    @Test func rangeVariantCoversOnlyTheRange() {
        let data = Array("xx123456789yyy".utf8)
        #expect(CRC32C.checksum(data, range: 2..<11) == 0xE306_9283)
        #expect(CRC32C.checksum(data, range: 5..<5) == 0)
        #expect(CRC32C.checksum(data, range: 0..<data.count) == CRC32C.checksum(data))
    }

    /// Kafka covers bytes [21, end) of a batch; flipping any covered bit must change the CRC.
    @Test func everySingleBitFlipIsDetected() {
        let data = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let original = CRC32C.checksum(data)
        for bit in 0..<(data.count * 8) {
            var flipped = data
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(CRC32C.checksum(flipped) != original, "bit \(bit)")
        }
    }
}
