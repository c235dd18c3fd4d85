import Testing

@testable import Wire

/// The hardware and table paths must agree everywhere, since either may run depending on the CPU.
@Suite(.dedicatedThread) struct CRC32CPathTests {
    @Test func bothPathsAgreeOnRandomInputsAndSplits() {
        let seed = BytesTestRandom.seed(0xC0FF_EE03)
        var random = BytesTestRandom(seed: seed)
        let pool = random.bytes(4096)
        pool.withUnsafeBytes { all in
            for round in 0..<2000 {
                let start = Int.random(in: 0..<64, using: &random)
                let length = Int.random(in: 0...2000, using: &random)
                let buffer = UnsafeRawBufferPointer(rebasing: all[start..<start + length])
                let seedCRC = UInt32.random(in: 0...UInt32.max, using: &random)
                let software = CRC32C.softwareUpdate(seedCRC, buffer)
                #expect(CRC32C.update(seedCRC, buffer) == software, "seed \(seed) round \(round)")
                #if arch(x86_64)
                    #expect(CRC32C.hardwareUpdate(seedCRC, buffer) == software, "seed \(seed) round \(round)")
                #endif
            }
        }
    }

    @Test func softwarePathMeetsTheCheckValue() {
        let check = Array("123456789".utf8).withUnsafeBytes { CRC32C.softwareUpdate(0, $0) }
        #expect(check == 0xE306_9283)
    }
}
