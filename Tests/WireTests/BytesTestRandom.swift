import Foundation

/// SplitMix64: a tiny deterministic generator so any failing randomized test replays from its printed seed.
struct BytesTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// The seed for a randomized test: `SPATE_TEST_SEED` from the environment if set, else `fallback`.
    static func seed(_ fallback: UInt64) -> UInt64 {
        guard let text = ProcessInfo.processInfo.environment["SPATE_TEST_SEED"], let value = UInt64(text) else {
            return fallback
        }
        return value
    }

    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }

    /// A random value biased towards the edges of `T`'s range, where encoders usually break.
    mutating func edgy<T: FixedWidthInteger>(_ type: T.Type = T.self) -> T {
        switch Int.random(in: 0..<8, using: &self) {
        case 0: return .min
        case 1: return .max
        case 2: return 0
        case 3: return T(truncatingIfNeeded: Int.random(in: -2...2, using: &self))
        case 4:
            // Every magnitude, so varints of every encoded length show up.
            let shift = Int.random(in: 0..<T.bitWidth, using: &self)
            return T(truncatingIfNeeded: next() >> UInt64(64 - T.bitWidth + shift))
        default: return T(truncatingIfNeeded: next())
        }
    }

    /// UTF-8 of a random string mixing 1-, 2-, 3- and 4-byte scalars, never a surrogate.
    mutating func utf8Text(maxScalars: Int) -> [UInt8] {
        let count = Int.random(in: 0...maxScalars, using: &self)
        var text = String.UnicodeScalarView()
        for _ in 0..<count {
            let ranges: [ClosedRange<UInt32>] = [
                0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF,
            ]
            let range = ranges[Int.random(in: 0..<ranges.count, using: &self)]
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &self)) { text.append(scalar) }
        }
        return Array(String(text).utf8)
    }
}
