import Foundation
import Synchronization
import Wire

/// Wakes long-polling Fetch requests when any partition grows (G7), without busy polling.
///
/// Appenders bump a generation and broadcast only while someone waits, so the produce path pays
/// one atomic load when no fetch is parked. A waiter registers before it reads the logs, and
/// sleeps only while the generation it saw before reading is unchanged, so no append is missed.
final class AppendSignal: Sendable {
    private let generation = Atomic<UInt64>(0)
    private let waiters = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let sleeping = Atomic<Int>(0)
    private let condition = NSCondition()

    /// The current generation; pass it to `wait` after reading the logs.
    var current: UInt64 { generation.load(ordering: .sequentiallyConsistent) }

    /// Announces that records were appended.
    func notifyAppend() {
        guard waiters.load(ordering: .sequentiallyConsistent) > 0 else { return }
        wakeAll()
    }

    /// Wakes every waiter for good: the broker is stopping.
    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        wakeAll()
    }

    var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) }

    /// Fetches asleep in `wait` right now (tests use it to know a fetch is parked).
    var sleepingCount: Int { sleeping.load(ordering: .sequentiallyConsistent) }

    private func wakeAll() {
        condition.lock()
        generation.add(1, ordering: .sequentiallyConsistent)
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `body` as a registered waiter, so appends made while it reads are not missed.
    func waiting<Result>(_ body: () -> Result) -> Result {
        waiters.add(1, ordering: .sequentiallyConsistent)
        defer { waiters.subtract(1, ordering: .sequentiallyConsistent) }
        return body()
    }

    /// Sleeps until the generation moves past `seen` or the monotonic clock reaches `deadlineNs`.
    func wait(changedFrom seen: UInt64, deadlineNs: UInt64) {
        condition.lock()
        sleeping.add(1, ordering: .sequentiallyConsistent)
        defer {
            sleeping.subtract(1, ordering: .sequentiallyConsistent)
            condition.unlock()
        }
        while generation.load(ordering: .sequentiallyConsistent) == seen && !isStopped {
            let now = MonotonicClock.nanoseconds()
            guard now < deadlineNs else { return }
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(deadlineNs - now) / 1e9))
        }
    }
}
