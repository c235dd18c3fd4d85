import Foundation
import Testing

@testable import Wire

@Suite struct RPCHostileFuzzTests {
    static let frameTarget = 100_000
    static let workers = 2

    /// Hostile traffic on many raw connections must never disturb a well-behaved client on the side,
    /// and every hostile connection must end up closed.
    @Test func liveServerSurvivesHostileFrames() async throws {
        let seed = BytesTestRandom.seed(0x5EED_0A01)
        var options = RPCOptions.patient
        options.frameBytesMax = 1 << 20
        let fixture = try RPCTestServer(options: options)
        let good = try await fixture.connect()
        let stop = HostileFlag()
        let goodCalls = Task { await Self.callEchoUntil(stop, on: good, seed: seed) }

        let started = MonotonicClock.milliseconds()
        let results = try await withThrowingTaskGroup(of: Result<HostileFuzzCounts, HostileFailure>.self) { group in
            for index in 0..<Self.workers {
                let worker = HostileFuzzWorker(
                    address: fixture.address, frameBytesMax: options.frameBytesMax,
                    frameTarget: Self.frameTarget / Self.workers, seed: seed &+ UInt64(index))
                group.addTask {
                    try await onThread("hostile-fuzz-\(index)") {
                        var running = worker
                        return running.run()
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        stop.set()
        let (callCount, callFailure) = await goodCalls.value

        var total = HostileFuzzCounts()
        for result in results {
            switch result {
            case .success(let counts): total.add(counts)
            case .failure(let failure): Issue.record("seed \(seed) (replay with SPATE_TEST_SEED=\(seed)): \(failure)")
            }
        }
        let elapsedMs = MonotonicClock.milliseconds() - started
        print("hostile fuzz, seed \(seed): \(total), \(callCount) side calls, \(elapsedMs) ms")
        #expect(total.frames >= Self.frameTarget, "seed \(seed)")
        #expect(callFailure == nil, "seed \(seed): \(callFailure ?? "")")
        #expect(callCount > 0, "the well-behaved client never got a call through")
        let settled = await eventually { fixture.server.connectionCount == 1 }
        #expect(settled, "seed \(seed): \(fixture.server.connectionCount) connections still open, expected 1")
        #expect(!good.isClosed)
        await good.close()
        await fixture.server.stop()
    }

    /// Calls echo in a loop until `stop`; returns the number of calls and the first failure.
    static func callEchoUntil(_ stop: HostileFlag, on connection: RPCConnection, seed: UInt64) async -> (
        Int, String?
    ) {
        var rng = BytesTestRandom(seed: seed ^ 0x600D)
        var calls = 0
        while !stop.isSet {
            let body = rng.bytes(Int.random(in: 0...256, using: &rng))
            do {
                let reply = try await connection.call(RPCTestServer.echo, body)
                guard reply == body else { return (calls, "call \(calls) got a wrong echo") }
            } catch {
                return (calls, "call \(calls) failed: \(error)")
            }
            calls += 1
        }
        return (calls, nil)
    }
}
