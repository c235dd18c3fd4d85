import Testing

@testable import Wire

@Suite struct RPCBenchmarkTests {
    /// The raw-socket baseline blocks in writes and reads for its whole measurement, so it must do
    /// that on threads of its own and leave its caller's executor free. On a one-thread executor the
    /// measurement's task runs first; this test's next line runs before it ends only if it suspended.
    @Test func rawBaselineLeavesItsCallersThreadFree() async throws {
        let ended = HostileFlag()
        let (sawItRunning, megabytesPerSecond) = try await onDedicatedThread("one-thread executor") {
            async let rate = Self.measureRaw(then: ended)
            await Task.yield()
            let sawItRunning = !ended.isSet
            return (sawItRunning, try await rate)
        }
        #expect(sawItRunning, "the raw measurement held its caller's thread until it ended")
        #expect(megabytesPerSecond > 0)
    }

    static func measureRaw(then ended: HostileFlag) async throws -> Double {
        defer { ended.set() }
        return try await RPCBenchmark.rawThroughput(seconds: 0.2)
    }
}
