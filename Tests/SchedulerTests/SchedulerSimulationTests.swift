import Testing

@testable import Scheduler

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Seeded simulations of whole clusters (see `ClusterSimulation`). 1,000 clusters per run, in
/// slices so the two test threads share them; a failure prints its seed, and
/// `SCHEDULER_SEED=<seed> swift test --filter replaySeed` replays it with a directive trace.
@Suite struct SchedulerSimulationTests {
    static let slices = 8
    static let seedsPerSlice: UInt64 = 125
    static let chaosSteps = 50

    @Test(arguments: 0..<slices)
    func randomClusters(slice: Int) {
        var total = SimCounts()
        let first = UInt64(slice) * Self.seedsPerSlice
        for seed in first..<(first + Self.seedsPerSlice) {
            var simulation = ClusterSimulation(seed: seed)
            simulation.run(chaosSteps: Self.chaosSteps)
            #expect(simulation.failures == [], "replay with SCHEDULER_SEED=\(seed)")
            if !simulation.failures.isEmpty { return }
            total = total + simulation.counts
        }
        // Each slice must reach every rule the simulation is there to exercise.
        #expect(total.succeeded > 100 && total.failed > 0 && total.cancelled > 0, "\(total)")
        #expect(total.staleDelivered > 0 && total.fetchFailures > 0 && total.timeouts > 0, "\(total)")
        #expect(total.released > 0 && total.resubmissions > 0, "\(total)")
        #expect(total.gatedSubmissions > 0 && total.gatedLaunches > 0 && total.predecessorFailures > 0, "\(total)")
    }

    /// The same seed gives the same directives in the same order.
    @Test func sameSeedSameTrace() {
        var first = ClusterSimulation(seed: 11, tracing: true)
        var second = ClusterSimulation(seed: 11, tracing: true)
        first.run(chaosSteps: 300)
        second.run(chaosSteps: 300)
        #expect(first.failures == [] && first.trace == second.trace && first.counts == second.counts)
        #expect(first.counts.events > 100)
    }

    /// Replays `SCHEDULER_SEED` (seed 0 without it) printing every event with its directives, or,
    /// for `SCHEDULER_SEED=first-last`, soaks that range quietly; `SCHEDULER_STEPS` sets the chaos length.
    @Test func replaySeed() {
        let steps = environment("SCHEDULER_STEPS").flatMap { Int($0) } ?? Self.chaosSteps
        let range = environment("SCHEDULER_SEED").map { $0.split(separator: "-").compactMap { UInt64($0) } } ?? [0]
        guard let first = range.first, let last = range.last, first <= last else {
            Issue.record("SCHEDULER_SEED must be a seed or first-last")
            return
        }
        for seed in first...last {
            var simulation = ClusterSimulation(seed: seed, tracing: true)
            simulation.verbose = first == last
            simulation.run(chaosSteps: steps)
            if first == last { print("seed \(seed): \(simulation.counts), trace \(simulation.trace)") }
            #expect(simulation.failures == [], "replay with SCHEDULER_SEED=\(seed)")
            if !simulation.failures.isEmpty { return }
        }
    }

    private func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
