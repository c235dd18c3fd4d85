import Query
import Synchronization
import Wire

/// What one task attempt runs with.
struct TaskContext: Sendable {
    let task: TaskDescription
    let session: DriverSession
    let cancel: CancelFlag
    let clock = PhaseClock()

    /// "map task 2 of batch 7 (job clicks, attempt 0)", to start every failure message with.
    var label: String {
        let kind: String
        switch task.work {
        case .map: kind = "map"
        case .reduce: kind = "reduce"
        }
        return "\(kind) task \(task.partition) of batch \(task.batchId) (job \(task.jobId), attempt \(task.attempt))"
    }
}

/// Accumulates the time a task spends in each phase.
final class PhaseClock: Sendable {
    enum Phase: Int {
        case read = 0
        case decode = 1
        case run = 2
    }

    private let spent = Mutex<[UInt64]>([0, 0, 0])
    private let inputs = Mutex(0)

    /// Runs `body`, adding its duration to `phase`.
    func measure<Value>(_ phase: Phase, _ body: () throws -> Value) rethrows -> Value {
        let start = MonotonicClock.nanoseconds()
        defer {
            let elapsed = MonotonicClock.nanoseconds() - start
            spent.withLock { $0[phase.rawValue] += elapsed }
        }
        return try body()
    }

    /// Notes how many inputs the task read.
    func count(_ inputCount: Int) { inputs.withLock { $0 = inputCount } }

    /// The timings so far.
    func timings(attemptId: UInt64, label: String, succeeded: Bool) -> TaskTimings {
        let spent = spent.withLock { $0 }
        return TaskTimings(
            attemptId: attemptId, label: label, inputCount: inputs.withLock { $0 }, readNs: spent[0],
            decodeNs: spent[1], runNs: spent[2], succeeded: succeeded)
    }
}
