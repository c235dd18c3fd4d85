/// HMAC-SHA256 (RFC 2104), for the driver's challenge-response authentication.
public enum HMACSHA256 {
    /// Length of a tag in bytes.
    public static let tagBytes = SHA256.digestBytes

    /// The HMAC-SHA256 tag of `message` under `key`; keys longer than a block are hashed first.
    public static func authenticate(message: [UInt8], key: [UInt8]) -> [UInt8] {
        var block = key.count > SHA256.blockBytes ? SHA256.hash(key) : key
        block.append(contentsOf: repeatElement(0, count: SHA256.blockBytes - block.count))

        var inner = SHA256Hasher()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        let innerDigest = inner.finalize()

        var outer = SHA256Hasher()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// Compares two tags in time that depends only on their lengths, so a forger learns nothing from timing.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        // Tag lengths are public; only their contents must not leak.
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<a.count { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
