import Foundation
import Synchronization
import Wire

/// Wakes threads that wait for shared state (kept in its own `Mutex`) to change. A waiter reads
/// `current` before it checks the state and sleeps only while no ring happened since, so a change
/// made between the check and the sleep is never missed.
final class Doorbell: Sendable {
    private let generation = Atomic<UInt64>(0)
    private let condition = NSCondition()

    /// The ring count; pass it to `wait` after checking the state.
    var current: UInt64 { generation.load(ordering: .sequentiallyConsistent) }

    /// Announces a change to every waiter.
    func ring() {
        condition.lock()
        generation.add(1, ordering: .sequentiallyConsistent)
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps until a ring after `seen`, or until the monotonic clock reaches `deadlineNs`.
    func wait(changedFrom seen: UInt64, deadlineNs: UInt64) {
        condition.lock()
        defer { condition.unlock() }
        while generation.load(ordering: .sequentiallyConsistent) == seen {
            let nowNs = MonotonicClock.nanoseconds()
            guard nowNs < deadlineNs else { return }
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(deadlineNs - nowNs) / 1e9))
        }
    }
}
