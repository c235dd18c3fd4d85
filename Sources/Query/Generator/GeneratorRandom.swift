import Foundation

/// SplitMix64: a tiny, fast, seedable generator, so a seed replays a generated stream exactly.
struct GeneratorRandom: RandomNumberGenerator, Sendable {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform integer in 0..<bound (bound > 0); the modulo bias is far below what matters here.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// SplitMix64's finalizer as a stateless hash, for per-user attributes that must not depend
    /// on the order events are drawn.
    static func hash(_ value: UInt64) -> UInt64 {
        var generator = GeneratorRandom(seed: value)
        return generator.next()
    }
}

/// Draws ranks 0..<count with probability proportional to 1 / (rank + 1)^exponent, in constant
/// time per draw (Vose's alias method: one random word picks a column and flips its coin).
struct ZipfSampler: Sendable {
    /// Per column: the chance (scaled to 2^32) of keeping the column's own rank, else its alias.
    let keep: [UInt32]
    let alias: [Int32]

    init(count: Int, exponent: Double) {
        precondition(count > 0 && count < Int(Int32.max), "a Zipf sampler needs 1...Int32.max items")
        let weights = (1...count).map { pow(Double($0), -exponent) }
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(count) / total }
        var small = scaled.indices.filter { scaled[$0] < 1 }
        var large = scaled.indices.filter { scaled[$0] >= 1 }
        var keep = [UInt32](repeating: UInt32.max, count: count)
        var alias = [Int32](repeating: 0, count: count)
        while let low = small.popLast(), let high = large.last {
            keep[low] = UInt32(min(scaled[low] * 4_294_967_296, 4_294_967_295))
            alias[low] = Int32(high)
            scaled[high] -= 1 - scaled[low]
            if scaled[high] < 1 {
                large.removeLast()
                small.append(high)
            }
        }
        // What is left over (rounding) keeps its own rank.
        for index in small + large { alias[index] = Int32(index) }
        self.keep = keep
        self.alias = alias
    }

    /// A rank drawn from one random word.
    @inline(__always)
    func rank(_ word: UInt64) -> Int {
        let column = Int(((word >> 32) &* UInt64(keep.count)) >> 32)
        return UInt32(truncatingIfNeeded: word) < keep[column] ? column : Int(alias[column])
    }
}
