import Testing
import Wire

/// HMAC-SHA256 against RFC 4231 and hashlib, and the constant-time tag comparison.
@Suite struct HMACSHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String { SHA256Tests.hex(bytes) }

    static func repeated(_ byte: UInt8, _ count: Int) -> [UInt8] { [UInt8](repeating: byte, count: count) }

    /// RFC 4231 §4.2–4.5, 4.7 and 4.8 (4.6 tests truncated output, which we never produce).
    static let rfc4231: [(String, [UInt8], [UInt8], String)] = [
        (
            "case 1", repeated(0x0b, 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            "case 2", Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            "case 3", repeated(0xaa, 20), repeated(0xdd, 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            "case 4", (1...25).map { UInt8($0) }, repeated(0xcd, 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            "case 6", repeated(0xaa, 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            "case 7", repeated(0xaa, 131),
            Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. "
                    + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test(arguments: rfc4231) func rfc4231Vector(name: String, key: [UInt8], message: [UInt8], tag: String) {
        #expect(Self.hex(HMACSHA256.authenticate(message: message, key: key)) == tag, "\(name)")
    }

    /// Keys one short of, exactly, and one past the block size (from Python's hmac module).
    static let blockEdgeKeys: [(Int, String)] = [
        (63, "80c8a6838111b3edfe86950efd75c7e54e4806b0c53e5b4df9a03dcf0d25ef34"),
        (64, "cb17883b7ff5039c074d850cc0704d8af75a7ec0a8745322e7ef5e9be767be86"),
        (65, "26b32664444a4ca4468601dab6cb80388a21789a83d9b3141a8f12f21a335eee"),
    ]

    @Test(arguments: blockEdgeKeys) func keyAtBlockEdge(keyLength: Int, tag: String) {
        let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 * 3) }
        #expect(Self.hex(HMACSHA256.authenticate(message: Array("message".utf8), key: key)) == tag)
    }

    @Test func emptyKeyAndMessage() {
        let tag = HMACSHA256.authenticate(message: [], key: [])
        #expect(Self.hex(tag) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
        #expect(tag.count == HMACSHA256.tagBytes)
    }

    @Test func equalComparesContentAndLength() {
        let tag = HMACSHA256.authenticate(message: [1, 2, 3], key: [4])
        #expect(HMACSHA256.equal(tag, tag))
        #expect(HMACSHA256.equal([], []))
        #expect(!HMACSHA256.equal(tag, Array(tag.dropLast())))
        #expect(!HMACSHA256.equal(Array(tag.dropLast()), tag))
        #expect(!HMACSHA256.equal(tag, []))
        for index in tag.indices {
            for bit in 0..<8 {
                var forged = tag
                forged[index] ^= 1 << UInt8(bit)
                #expect(!HMACSHA256.equal(tag, forged), "byte \(index) bit \(bit)")
            }
        }
    }
}
