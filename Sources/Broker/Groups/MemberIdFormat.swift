/// Formats random bits as the version-4 UUID text Kafka's member ids end with.
enum MemberIdFormat {
    /// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx` from 128 random bits (lower-case hex).
    static func uuid(_ high: UInt64, _ low: UInt64) -> String {
        let versioned = (high & ~0xF000) | 0x4000
        let variant = (low & ~(0xC << 60)) | (0x8 << 60)
        let hex = hexDigits(versioned, count: 16) + hexDigits(variant, count: 16)
        let cuts = [8, 12, 16, 20]
        var text = ""
        for (index, digit) in hex.enumerated() {
            if cuts.contains(index) { text.append("-") }
            text.append(digit)
        }
        return text
    }

    private static func hexDigits(_ value: UInt64, count: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: count - digits.count) + digits
    }
}
