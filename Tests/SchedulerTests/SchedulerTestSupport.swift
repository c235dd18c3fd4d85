import Testing

@testable import Scheduler

/// Drives a scheduler by hand: one clock, every directive kept, the invariants checked after each event.
struct Harness {
    var scheduler: TaskScheduler
    var nowMs: Int64 = 1000

    init(_ config: SchedulerConfig = SchedulerConfig()) {
        scheduler = TaskScheduler(config: config)
    }

    @discardableResult
    mutating func register(_ executorId: String, slots: Int = 1) throws -> [SchedulerDirective] {
        checked(try scheduler.registerExecutor(executorId, slots: slots, nowMs: nowMs))
    }

    @discardableResult
    mutating func submit(_ spec: BatchSpec) throws -> [SchedulerDirective] {
        checked(try scheduler.submitBatch(spec, nowMs: nowMs))
    }

    @discardableResult
    mutating func succeed(_ launch: TaskLaunch) -> [SchedulerDirective] {
        checked(scheduler.attemptSucceeded(attemptId: launch.attemptId, executorId: launch.executorId, nowMs: nowMs))
    }

    @discardableResult
    mutating func fail(_ launch: TaskLaunch, _ error: String = "boom", fetch: FetchFailure? = nil)
        -> [SchedulerDirective]
    {
        checked(
            scheduler.attemptFailed(
                attemptId: launch.attemptId, executorId: launch.executorId, error: error, fetchFailure: fetch,
                nowMs: nowMs))
    }

    @discardableResult
    mutating func lose(_ executorId: String) -> [SchedulerDirective] {
        checked(scheduler.executorLost(executorId, reason: "connection closed", nowMs: nowMs))
    }

    @discardableResult
    mutating func drain(_ executorId: String) -> [SchedulerDirective] {
        checked(scheduler.executorDraining(executorId, nowMs: nowMs))
    }

    @discardableResult
    mutating func heartbeat(_ executorId: String) -> [SchedulerDirective] {
        checked(scheduler.executorHeartbeat(executorId, nowMs: nowMs))
    }

    @discardableResult
    mutating func tick(advanceMs: Int64 = 0) -> [SchedulerDirective] {
        nowMs += advanceMs
        return checked(scheduler.tick(nowMs: nowMs))
    }

    @discardableResult
    mutating func cancel(_ job: String) -> [SchedulerDirective] {
        checked(scheduler.cancelJob(job, nowMs: nowMs))
    }

    /// Succeeds every launch in order and returns everything that followed.
    @discardableResult
    mutating func succeedAll(_ launches: [TaskLaunch]) -> [SchedulerDirective] {
        launches.flatMap { succeed($0) }
    }

    private func checked(_ directives: [SchedulerDirective]) -> [SchedulerDirective] {
        let problems = scheduler.invariantViolations()
        #expect(problems == [], "after \(directives)")
        return directives
    }
}

extension Array where Element == SchedulerDirective {
    var launches: [TaskLaunch] {
        compactMap { directive in
            if case .launch(let launch) = directive { return launch }
            return nil
        }
    }

    var cancelledAttempts: [UInt64] {
        compactMap { directive in
            if case .cancelAttempt(let attemptId, _) = directive { return attemptId }
            return nil
        }
    }

    var acceptedAttempts: [UInt64] {
        compactMap { directive in
            if case .resultAccepted(let attemptId, _, _) = directive { return attemptId }
            return nil
        }
    }

    var succeededBatches: [BatchKey] {
        compactMap { directive in
            if case .batchSucceeded(let key) = directive { return key }
            return nil
        }
    }

    var failedBatches: [BatchKey: BatchFailureReason] {
        var failed: [BatchKey: BatchFailureReason] = [:]
        for case .batchFailed(let key, let reason) in self { failed[key] = reason }
        return failed
    }

    var lostExecutors: [String] {
        compactMap { directive in
            if case .executorLost(let executorId, _) = directive { return executorId }
            return nil
        }
    }

    var releasedExecutors: [String] {
        compactMap { directive in
            if case .releaseExecutor(let executorId) = directive { return executorId }
            return nil
        }
    }
}

extension Array where Element == TaskLaunch {
    /// Task partitions by executor, to check spreading.
    var partitionsByExecutor: [String: [Int]] {
        Dictionary(grouping: self, by: \.executorId).mapValues { $0.map(\.task.partition).sorted() }
    }

    func first(stage: Int, partition: Int) -> TaskLaunch? {
        first { $0.task.stage == stage && $0.task.partition == partition }
    }
}

/// A one-stage batch of `partitions` tasks.
func singleStage(_ job: String = "job", batchId: Int64 = 0, partitions: Int, preferred: [Int: String] = [:])
    -> BatchSpec
{
    BatchSpec(
        job: job, batchId: batchId, stages: [StageSpec(partitionCount: partitions, preferredExecutors: preferred)])
}
