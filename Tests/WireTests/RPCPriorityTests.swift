import Foundation
import Synchronization
import Testing

@testable import Wire

/// How many pieces of bulk work have started, shared with the tasks that run them.
private final class StartCount: Sendable {
    let value = Atomic<Int>(0)
}

@Suite struct RPCPriorityTests {
    static let observe: UInt16 = 2

    /// A request's handler runs ahead of default-priority work already queued on the shared pool:
    /// bulk work does not delay the control plane by the length of its queue.
    @Test func aHandlerRunsAheadOfBulkWorkQueuedBeforeIt() async throws {
        let bulkCount = 500
        let bulkStarted = StartCount()
        let startedWhenHandled = Mutex<Int?>(nil)
        let fixture = try RPCTestServer { handlers in
            handlers.register(Self.observe) { _, _ in
                startedWhenHandled.withLock { $0 = bulkStarted.value.load(ordering: .relaxed) }
                return []
            }
        }
        let client = try await fixture.connect()
        // Each piece holds a pool thread for 2 ms, so the queue takes far longer to drain than a
        // frame takes to cross loopback; first in, first out, a default-priority handler would only
        // run once every piece had started.
        let bulk = (0..<bulkCount).map { _ in
            Task(priority: .medium) {
                bulkStarted.value.add(1, ordering: .relaxed)
                let until = MonotonicClock.nanoseconds() + 2_000_000
                while MonotonicClock.nanoseconds() < until {}
            }
        }
        _ = try await client.call(Self.observe, [])
        for piece in bulk { await piece.value }
        let started = try #require(startedWhenHandled.withLock { $0 })
        #expect(started < bulkCount, "the handler waited for all \(bulkCount) queued pieces to start")
        await client.close()
        await fixture.server.stop()
    }
}
