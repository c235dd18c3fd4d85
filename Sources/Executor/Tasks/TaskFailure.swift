import Query

/// Why a task attempt failed; becomes `TaskOutcome.failed` with the same message.
struct TaskFailure: Error, Sendable, CustomStringConvertible {
    /// One line for the driver's status and the job's error.
    let message: String
    /// Set when a map output could not be read (not the reduce task's fault).
    let fetchFailure: ShuffleFetchFailure?

    init(_ message: String, fetchFailure: ShuffleFetchFailure? = nil) {
        self.message = message
        self.fetchFailure = fetchFailure
    }

    var description: String { message }
}
