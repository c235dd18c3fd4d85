import Dispatch
import Foundation
import Query
import Synchronization

/// Sends the session's one-way heartbeat every interval from a dedicated thread, so a busy
/// cooperative pool can never make the driver think this executor is dead.
final class Heartbeater: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let wakeup = DispatchSemaphore(value: 0)

    /// Starts beating for `session`, naming the attempts `attempts` holds for it.
    init(session: DriverSession, attempts: RunningAttempts) {
        let intervalMs = max(10, session.heartbeatIntervalMs)
        let thread = Thread { [self] in
            while !stopped.load(ordering: .acquiring) {
                _ = wakeup.wait(timeout: .now() + .milliseconds(intervalMs))
                if stopped.load(ordering: .acquiring) { break }
                let beat = ExecutorHeartbeat(
                    executorId: session.executorId, runningAttemptIds: attempts.ids(session: session.id))
                // A failed send means the connection is closing; the session notices that itself.
                try? session.connection.send(ClusterMessageKind.heartbeat.rawValue, beat.encoded())
            }
        }
        thread.name = "spate-executor-heartbeat"
        thread.stackSize = 256 << 10
        thread.start()
    }

    /// Stops the thread (it exits at once).
    func stop() {
        stopped.store(true, ordering: .releasing)
        wakeup.signal()
    }
}
