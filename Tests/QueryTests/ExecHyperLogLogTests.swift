import Testing

@testable import Query

@Suite struct ExecHyperLogLogTests {
    /// The estimate for `count` distinct values drawn from `random`, split over `sketches`
    /// sketches that are then merged (as map tasks' partials are at the reducer).
    func estimate(_ count: Int, sketches: Int, using random: inout SeededRandom) -> Double {
        var parts = [Accumulator](
            repeating: Accumulator(.approxDistinct(.string), indexed: false, tracking: false), count: sketches)
        for index in parts.indices { parts[index].appendSlot() }
        let base = random.next()
        var column = Column(.string)
        for value in 0..<count { column.append(string: "v\(base)-\(value)") }
        let rows = (0..<Int32(count)).map { $0 }
        for part in 0..<sketches {
            let mine = rows.filter { Int($0) % sketches == part }
            parts[part].accumulate(column, rows: mine, slots: [Int32](repeating: 0, count: mine.count))
        }
        var merged = Accumulator(.approxDistinct(.string), indexed: false, tracking: false)
        merged.appendSlot()
        for part in parts { merged.merge(from: part, 0, into: 0, overwrite: false) }
        guard case .int64(let result) = merged.result([0], type: .int64).value(at: 0) else { return -1 }
        return Double(result)
    }

    @Test func errorStaysWithinTwoPercentAcrossCardinalities() {
        var random = SeededRandom(seed: 2024)
        for count in [1, 2, 10, 100, 1_000, 5_000, 20_000, 100_000] {
            let found = estimate(count, sketches: 3, using: &random)
            let error = abs(found - Double(count)) / Double(count)
            #expect(error <= 0.02, "\(count) distinct values estimated as \(found)")
        }
    }

    @Test func errorIsStatisticallyWithinTheBound() {
        // With 2^14 registers the standard error is 0.81%: over 25 seeded trials the root mean
        // square error should be near it, and no trial should reach 2.5 standard errors.
        var random = SeededRandom(seed: 77)
        var squares = 0.0
        var worst = 0.0
        let trials = 25
        for _ in 0..<trials {
            let error = (estimate(10_000, sketches: 2, using: &random) - 10_000) / 10_000
            squares += error * error
            worst = max(worst, abs(error))
        }
        let rms = (squares / Double(trials)).squareRoot()
        print("ExecHyperLogLogTests rms error \(rms), worst \(worst)")
        #expect(rms < 0.012)
        #expect(worst <= 0.02)
    }

    @Test func mergingSketchesEqualsOneSketch() {
        var first = SeededRandom(seed: 9)
        var second = SeededRandom(seed: 9)
        #expect(estimate(20_000, sketches: 1, using: &first) == estimate(20_000, sketches: 7, using: &second))
    }

    @Test func registersTakeTheRankOfTheHash() {
        #expect(HyperLogLog.position(0).index == 0 && HyperLogLog.position(0).rank == HyperLogLog.rankMax)
        #expect(HyperLogLog.position(UInt64.max) == (HyperLogLog.registerCount - 1, 1))
        #expect(HyperLogLog.position(1 << 49) == (0, 1))
        #expect(HyperLogLog.position(1 << 48) == (0, 2))
        #expect(HyperLogLog.estimate([UInt8](repeating: 0, count: HyperLogLog.registerCount)) == 0)
    }
}
