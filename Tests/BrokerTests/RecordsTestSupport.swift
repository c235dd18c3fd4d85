import Foundation

@testable import Broker

/// SplitMix64 for the record and log tests, so a failing randomized case replays from its printed seed.
struct RecordsRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// `SPATE_TEST_SEED` from the environment if set, else `fallback`.
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

    /// Random bytes of up to `countMax` bytes, or nil one time in five.
    mutating func optionalBytes(countMax: Int) -> [UInt8]? {
        Int.random(in: 0..<5, using: &self) == 0 ? nil : bytes(Int.random(in: 0...countMax, using: &self))
    }
}

/// Hex helpers for writing expected bytes the way KAFKA-PROTOCOL.md prints them.
enum Hex {
    /// Bytes of a hex string; spaces and `|` are ignored.
    static func bytes(_ text: String) -> [UInt8] {
        let digits = text.filter(\.isHexDigit)
        precondition(digits.count % 2 == 0, "odd hex digit count")
        var out: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            out.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        return out
    }
}

/// Builds a batch of `count` records with predictable keys, values and timestamps.
func makeBatch(
    count: Int, firstTimestampMs: Int64 = 1_700_000_000_000, valueBytes: Int = 100, baseOffset: Int64 = 0
) -> [UInt8] {
    var builder = RecordBatchBuilder(capacityBytes: count * (valueBytes + 16))
    for index in 0..<count {
        let value = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: valueBytes)
        builder.append(timestampMs: firstTimestampMs + Int64(index), key: Array("k\(index)".utf8), value: value)
    }
    return builder.finish(baseOffset: baseOffset)
}
