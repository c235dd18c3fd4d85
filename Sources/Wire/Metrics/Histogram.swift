import Synchronization

/// Counts observations into fixed buckets (batch durations, request sizes); Prometheus type
/// `histogram`, rendered as cumulative `_bucket{le=...}`, `_sum` and `_count`.
public final class Histogram: Sendable {
    /// The buckets' upper bounds, strictly increasing; a last `+Inf` bucket is implied.
    public let upperBounds: [Double]
    private let state: Mutex<Snapshot>

    /// Counts per bucket (not cumulative; the last is `+Inf`), their sum and their number.
    struct Snapshot {
        var bucketCounts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    init(upperBounds: [Double]) {
        Self.checkBounds(upperBounds)
        self.upperBounds = upperBounds
        state = Mutex(Snapshot(bucketCounts: [UInt64](repeating: 0, count: upperBounds.count + 1)))
    }

    static func checkBounds(_ bounds: [Double]) {
        precondition(bounds.allSatisfy(\.isFinite), "bucket bounds are finite; +Inf is implied")
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "bucket bounds strictly increase")
    }

    /// Records one observation; NaN is ignored, as it has no bucket and would poison the sum.
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        // The first bucket whose bound is >= value ("le" is inclusive).
        var low = 0
        var high = upperBounds.count
        while low < high {
            let middle = (low + high) / 2
            if upperBounds[middle] < value { low = middle + 1 } else { high = middle }
        }
        state.withLock { state in
            state.bucketCounts[low] += 1
            state.sum += value
            state.count += 1
        }
    }

    /// Observations so far.
    public var count: UInt64 { state.withLock { $0.count } }

    /// Sum of the observations so far.
    public var sum: Double { state.withLock { $0.sum } }

    func snapshot() -> Snapshot { state.withLock { $0 } }

    /// `count` bounds starting at `start`, each `factor` times the last (e.g. 1, 2, 4 ... ms).
    public static func exponentialBuckets(start: Double, factor: Double, count: Int) -> [Double] {
        precondition(start > 0 && factor > 1 && count > 0, "exponential buckets need start > 0 and factor > 1")
        var bounds: [Double] = []
        var bound = start
        for _ in 0..<count {
            bounds.append(bound)
            bound *= factor
        }
        return bounds
    }

    /// Bounds for durations in seconds, from 1 ms to 60 s.
    public static let durationSecondsBuckets: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
    ]
}
