@testable import Scheduler

/// What the simulation expects the scheduler to know of an executor, from events and directives alone.
struct SimKnown {
    let slots: Int
    var draining = false
    var running: Set<UInt64> = []
    var lastHeardMs: Int64
}

/// One submitted batch as the simulation tracks it.
struct SimBatch {
    enum Status: Equatable { case running, succeeded, failed, cancelled }

    let spec: BatchSpec
    /// The batch named by `spec.after` if it was in flight at submission: until it ends, no task
    /// reading shuffle may launch, and its failure fails this batch.
    var predecessor: BatchKey?
    var status = Status.running
    /// Accepted attempts per task, in order.
    var accepted: [TaskKey: [UInt64]] = [:]
    var countedFailures: [TaskKey: Int] = [:]
    var lastError: [TaskKey: String] = [:]
    var launches: [TaskKey: Int] = [:]

    func isSink(_ stage: Int) -> Bool { !spec.stages.contains { $0.parents.contains(stage) } }

    var tasks: [TaskKey] {
        spec.stages.enumerated().flatMap { stage, spec in
            (0..<spec.partitionCount).map { TaskKey(batch: self.spec.batch, stage: stage, partition: $0) }
        }
    }
}

/// The simulation's independent books, and the checks each directive must pass against them.
extension ClusterSimulation {
    mutating func absorb(_ directives: [SchedulerDirective], accepting expected: TaskLaunch?) {
        var acceptedExpected = false
        for directive in directives {
            if tracing { trace = fnv(trace, String(describing: directive)) }
            switch directive {
            case .launch(let launch): noteLaunch(launch)
            case .cancelAttempt(let attemptId, let executorId): noteCancel(attemptId, executorId)
            case .resultAccepted(let attemptId, let task, let executorId):
                let matches = expected.map {
                    $0.attemptId == attemptId && $0.task == task && $0.executorId == executorId
                }
                log.check(matches == true && !acceptedExpected, "accepted \(attemptId) for \(task) unexpectedly")
                if let expected, matches == true { noteAccepted(expected) }
                acceptedExpected = true
            case .batchSucceeded(let key): noteSucceeded(key)
            case .batchFailed(let key, let reason): noteFailed(key, reason)
            case .executorLost(let executorId, let reason): noteLost(executorId, reason)
            case .releaseExecutor(let executorId): noteReleased(executorId)
            case .executorUnknown(let executorId):
                log.check(expectUnknown == executorId, "executorUnknown(\(executorId)) unasked")
                stopProcess(executorId, .exited)
            }
        }
        log.check(expected == nil || acceptedExpected, "live result \(expected?.attemptId ?? 0) not accepted")
    }

    private mutating func noteLaunch(_ launch: TaskLaunch) {
        let task = launch.task
        log.check(issuedAttemptIds.insert(launch.attemptId).inserted, "attempt id \(launch.attemptId) reused")
        guard let executor = known[launch.executorId] else {
            return log.check(false, "launch on unknown \(launch.executorId)")
        }
        log.check(!executor.draining, "launch on draining \(launch.executorId)")
        log.check(executor.running.count < executor.slots, "\(launch.executorId) over capacity")
        guard let batch = batches[task.batch], batch.status == .running else {
            return log.check(false, "launch for ended \(task)")
        }
        log.check(liveByTask[task] == nil, "\(task) launched while attempt \(liveByTask[task] ?? 0) runs")
        log.check(
            launch.attemptNumber == batch.launches[task, default: 0], "\(task) attempt number \(launch.attemptNumber)")
        if let previous = batch.accepted[task]?.last {
            log.check(!batch.isSink(task.stage) && invalid.contains(previous), "\(task) rerun though its result stands")
        }
        let parents = batch.spec.stages[task.stage].parents
        if let predecessor = batch.predecessor, !parents.isEmpty {
            log.check(!runningBatches.contains(predecessor), "\(task) launched while \(predecessor) is in flight")
            counts.gatedLaunches += 1
        }
        log.check(launch.inputs.map(\.stage) == parents, "\(task) inputs \(launch.inputs.map(\.stage)) != \(parents)")
        for input in launch.inputs {
            for (mapPartition, location) in input.mapOutputs.enumerated() {
                let mapTask = TaskKey(batch: task.batch, stage: input.stage, partition: mapPartition)
                let current = batch.accepted[mapTask]?.last
                log.check(
                    current == location.attemptId && !invalid.contains(location.attemptId),
                    "\(task) reads stale \(mapTask)")
                log.check(
                    acceptedOn[location.attemptId] == location.executorId, "\(task) reads \(mapTask) from wrong place")
            }
            log.check(input.mapOutputs.count == batch.spec.stages[input.stage].partitionCount, "\(task) input count")
        }
        batches[task.batch]?.launches[task, default: 0] += 1
        live[launch.attemptId] = launch
        liveByTask[task] = launch.attemptId
        known[launch.executorId]?.running.insert(launch.attemptId)
        startRun(launch)
    }

    private mutating func noteCancel(_ attemptId: UInt64, _ executorId: String) {
        log.check(live[attemptId]?.executorId == executorId, "cancel of \(attemptId) that is not live on \(executorId)")
        log.check(known[executorId] != nil, "cancel sent to unknown \(executorId)")
        endLive(attemptId)
        cancelRun(attemptId, on: executorId)
    }

    private mutating func noteAccepted(_ launch: TaskLaunch) {
        let task = launch.task
        guard let batch = batches[task.batch], batch.status == .running else {
            return log.check(false, "accepted for ended \(task)")
        }
        if let previous = batch.accepted[task]?.last {
            log.check(!batch.isSink(task.stage) && invalid.contains(previous), "\(task) accepted twice")
        }
        batches[task.batch]?.accepted[task, default: []].append(launch.attemptId)
        acceptedOn[launch.attemptId] = launch.executorId
        counts.accepted += 1
    }

    private mutating func noteSucceeded(_ key: BatchKey) {
        guard let batch = batches[key], batch.status == .running else {
            return log.check(false, "\(key) succeeded again")
        }
        for task in batch.tasks {
            let accepted = batch.accepted[task]?.count ?? 0
            log.check(
                batch.isSink(task.stage) ? accepted == 1 : accepted >= 1, "\(key) succeeded, \(task) has \(accepted)")
        }
        batches[key]?.status = .succeeded
        runningBatches.remove(key)
        endBatch(key, retry: false)
        counts.succeeded += 1
    }

    private mutating func noteFailed(_ key: BatchKey, _ reason: BatchFailureReason) {
        guard let batch = batches[key], batch.status == .running else { return log.check(false, "\(key) failed again") }
        switch reason {
        case .taskFailed(let task, let attempts, let error):
            let counted = batch.countedFailures[task] ?? 0
            log.check(
                attempts == scheduler.config.attemptsMax && counted == attempts,
                "\(task) failed \(counted) not \(attempts)")
            log.check(
                batch.lastError[task] == error, "\(task) failed with \(error), last was \(batch.lastError[task] ?? "-")"
            )
        case .taskLaunchesExhausted(let task, let launches):
            log.check(
                launches == scheduler.config.taskLaunchesMax && batch.launches[task] == launches, "\(task) launches")
        case .stageResubmissionsExhausted(let resubmissions):
            log.check(
                resubmissions > scheduler.config.stageResubmissionsPerBatchMax, "\(key) resubmissions \(resubmissions)")
        case .predecessorFailed(let predecessor):
            // Directives come in order: the predecessor's own failure is already in the books.
            log.check(
                batch.predecessor == predecessor && batches[predecessor]?.status == .failed,
                "\(key) failed for \(predecessor), which it does not wait for or which did not fail")
            counts.predecessorFailures += 1
        }
        batches[key]?.status = .failed
        runningBatches.remove(key)
        endBatch(key, retry: true)
        counts.failed += 1
    }

    private mutating func noteLost(_ executorId: String, _ reason: ExecutorLossReason) {
        guard let executor = known[executorId] else { return log.check(false, "lost unknown \(executorId)") }
        switch reason {
        case .heartbeatTimeout(let silentMs):
            log.check(
                silentMs == nowMs - executor.lastHeardMs,
                "\(executorId) silent \(silentMs) ms, heard at \(executor.lastHeardMs)")
            log.check(silentMs >= scheduler.config.executorTimeoutMs, "\(executorId) timed out early")
            counts.timeouts += 1
        case .reported:
            log.check(expectLoss == executorId, "\(executorId) lost without a report")
        }
        forgetKnown(executorId)
        stopProcess(executorId, .exited)
    }

    private mutating func noteReleased(_ executorId: String) {
        guard let executor = known[executorId] else { return log.check(false, "released unknown \(executorId)") }
        log.check(executor.draining && executor.running.isEmpty, "released \(executorId) while busy or not draining")
        forgetKnown(executorId)
        stopProcess(executorId, .exited)
        counts.released += 1
    }

    /// The executor is gone from the scheduler: its live attempts end and the output it held is invalid.
    private mutating func forgetKnown(_ executorId: String) {
        for attemptId in known[executorId]?.running.sorted() ?? [] { endLive(attemptId) }
        known[executorId] = nil
        for (attemptId, holder) in acceptedOn where holder == executorId { invalid.insert(attemptId) }
    }

    mutating func endLive(_ attemptId: UInt64) {
        guard let launch = live.removeValue(forKey: attemptId) else { return }
        liveByTask[launch.task] = nil
        known[launch.executorId]?.running.remove(attemptId)
    }

    private mutating func endBatch(_ key: BatchKey, retry: Bool) {
        guard let index = jobs.firstIndex(where: { $0.name == key.job }) else { return }
        jobs[index].inFlight.removeAll { $0 == key }
        if retry { jobs[index].retries.append(key.batchId) }
    }

    /// After every event: the scheduler's own check, and its view against the simulation's books
    /// (equal sizes plus every entry of the books found there: the same sets, without sorting).
    mutating func checkAfterEvent(_ label: String) {
        for problem in scheduler.invariantViolations() { log.check(false, "invariant: \(problem)") }
        log.check(scheduler.runningAttemptCount == live.count, "running attempts differ from the books")
        for (attemptId, launch) in live {
            let status = scheduler.attemptStatus(attemptId)
            log.check(
                status?.task == launch.task && status?.executorId == launch.executorId, "\(attemptId) not running")
            log.check(runningBatches.contains(launch.task.batch), "attempt \(attemptId) of an ended batch")
        }
        let executors = scheduler.executorStatuses
        log.check(executors.count == known.count, "executors differ from the books")
        for executor in executors {
            let books = known[executor.executorId]
            log.check(executor.runningAttempts <= executor.slots, "\(executor.executorId) over capacity")
            log.check(executor.runningAttempts == books?.running.count, "\(executor.executorId) slots differ")
            log.check(executor.draining == books?.draining, "\(executor.executorId) draining differs")
        }
        let inFlight = scheduler.batchKeysInFlight
        log.check(inFlight.count == runningBatches.count, "batches in flight differ from the books")
        for key in inFlight { log.check(runningBatches.contains(key), "\(key) in flight, not in the books") }
        checkGates()
        if !failures.isEmpty && !log.messages.contains(where: { $0.hasPrefix("  during") }) {
            log.messages.append("  during \(label)")
        }
    }

    /// A batch still running waits for its predecessor exactly while that is in flight; one whose
    /// predecessor failed or was cancelled should have ended with it.
    private func checkGates() {
        for status in scheduler.batchStatuses {
            guard let batch = batches[status.batch] else { continue }
            let waiting = batch.predecessor.flatMap { runningBatches.contains($0) ? $0 : nil }
            log.check(status.gatedBy == waiting, "\(status.batch) gated by \(String(describing: status.gatedBy))")
            guard let predecessor = batch.predecessor else { continue }
            let ended = batches[predecessor]?.status
            log.check(ended != .failed && ended != .cancelled, "\(status.batch) outlived its \(predecessor)")
        }
    }

    /// Every broken expectation so far, each naming the seed.
    var failures: [String] { log.messages }
}

/// Where a simulation's failures go. A box outside the simulation, so a check's message can read
/// the simulation's state without the whole value being copied for each check.
final class SimFailureLog {
    let seed: UInt64
    var nowMs: Int64 = 0
    var messages: [String] = []

    init(seed: UInt64) { self.seed = seed }

    /// Records a broken expectation, naming the seed and the simulated time.
    func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition && messages.count < 20 { messages.append("seed \(seed) t=\(nowMs) ms: \(message())") }
    }
}

/// FNV-1a, to compare two runs' directives cheaply.
func fnv(_ hash: UInt64, _ text: String) -> UInt64 {
    var hash = hash
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return hash
}
