import Query

/// What one task attempt runs with.
struct TaskContext: Sendable {
    let task: TaskDescription
    let session: DriverSession
    let cancel: CancelFlag

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
