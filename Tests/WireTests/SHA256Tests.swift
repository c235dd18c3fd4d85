import Testing
import Wire

/// SHA-256 against FIPS 180-4 example vectors, hashlib digests at every padding boundary, and incremental feeding.
@Suite(.dedicatedThread) struct SHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }

    static func counting(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0) } }

    static let fipsVectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ]

    @Test(arguments: fipsVectors) func fipsVector(message: String, digest: String) {
        #expect(Self.hex(SHA256.hash(Array(message.utf8))) == digest)
    }

    @Test func oneMillionA() {
        let message = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(Self.hex(SHA256.hash(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Digests from Python's hashlib of bytes 0, 1, 2, ... at lengths either side of every padding edge.
    static let boundaryVectors: [(Int, String)] = [
        (1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        (55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
        (56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
        (57, "2fe741af801cc238602ac0ec6a7b0c3a8a87c7fc7d7f02a3fe03d1c12eac4d8f"),
        (63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
        (64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
        (65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
        (111, "60780e9451bdc43cf4530ffc95cbb0c4eb24dae2c39f55f334d679e076c08065"),
        (112, "09373f127d34e61dbbaa8bc4499c87074f2ddb10e1b465f506d7d70a15011979"),
        (119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"),
        (120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"),
        (127, "92ca0fa6651ee2f97b884b7246a562fa71250fedefe5ebf270d31c546bfea976"),
        (128, "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5"),
        (129, "5099c6a56203f9687f7d33f4bfdf576d31dc91f6b695ecea38b2770c87631135"),
        (1000, "a8af099bf2e878609558dbf69d8f88f4a31040a8cf84b549a0cfa912f12ffc3f"),
    ]

    @Test(arguments: boundaryVectors) func paddingBoundary(length: Int, digest: String) {
        #expect(Self.hex(SHA256.hash(Self.counting(length))) == digest)
    }

    @Test func incrementalSplitAtEveryBoundaryEqualsOneShot() {
        let message = Self.counting(130)
        let whole = SHA256.hash(message)
        for split in 0...message.count {
            var hasher = SHA256Hasher()
            hasher.update(Array(message[..<split]))
            hasher.update(Array(message[split...]))
            #expect(hasher.finalize() == whole, "split at \(split)")
        }
    }

    @Test func incrementalThreeWaySplitsThroughRawPointers() {
        let message = Self.counting(130)
        let whole = SHA256.hash(message)
        message.withUnsafeBytes { buffer in
            for first in stride(from: 0, through: 130, by: 5) {
                for second in first...130 {
                    var hasher = SHA256Hasher()
                    hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<first]))
                    hasher.update(UnsafeRawBufferPointer(rebasing: buffer[first..<second]))
                    hasher.update(UnsafeRawBufferPointer(rebasing: buffer[second...]))
                    #expect(hasher.finalize() == whole, "splits at \(first) and \(second)")
                }
            }
        }
    }

    @Test func byteAtATimeEqualsOneShot() {
        let message = Self.counting(1000)
        var hasher = SHA256Hasher()
        for byte in message { hasher.update([byte]) }
        #expect(Self.hex(hasher.finalize()) == "a8af099bf2e878609558dbf69d8f88f4a31040a8cf84b549a0cfa912f12ffc3f")
    }

    @Test func randomPiecesEqualOneShot() {
        let seed = BytesTestRandom.seed(0x5EED_0301)
        var random = BytesTestRandom(seed: seed)
        for round in 0..<100 {
            let message = random.bytes(Int.random(in: 0...600, using: &random))
            var hasher = SHA256Hasher()
            var offset = 0
            while offset < message.count {
                let piece = Int.random(in: 0...min(150, message.count - offset), using: &random)
                hasher.update(Array(message[offset..<offset + piece]))
                offset += piece
            }
            #expect(hasher.finalize() == SHA256.hash(message), "seed \(seed) round \(round)")
        }
    }

    @Test func emptyUpdatesChangeNothing() {
        var hasher = SHA256Hasher()
        hasher.update([])
        hasher.update(Array("abc".utf8))
        hasher.update(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
        #expect(SHA256.hash([]).count == SHA256.digestBytes)
    }
}
