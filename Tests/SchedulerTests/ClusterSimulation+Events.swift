@testable import Scheduler

/// Every event the simulation hands the scheduler, with what it expects to follow.
extension ClusterSimulation {
    /// Runs one scheduler event and checks its directives and the bookkeeping after it.
    mutating func event(
        _ label: @autoclosure () -> String, accepting expected: TaskLaunch? = nil,
        _ body: (inout TaskScheduler, Int64) throws -> [SchedulerDirective]
    ) {
        counts.events += 1
        do {
            let directives = try body(&scheduler, nowMs)
            if verbose { print("t=\(nowMs) \(label()) -> \(directives)") }
            absorb(directives, accepting: expected)
        } catch {
            log.check(false, "refused: \(error)")
        }
        checkAfterEvent(label())
        expectUnknown = nil
        expectLoss = nil
    }

    mutating func register() {
        let executorId = spawnProcess(slots: rng.int(1...3))
        let slots = processes[executorId]?.slots ?? 1
        known[executorId] = SimKnown(slots: slots, lastHeardMs: nowMs)
        event("register \(executorId)") { try $0.registerExecutor(executorId, slots: slots, nowMs: $1) }
    }

    mutating func killAnnounced(_ executorId: String) {
        stopProcess(executorId, .dead)
        expectLoss = known[executorId] != nil ? executorId : nil
        event("lost \(executorId)") { $0.executorLost(executorId, reason: "connection reset", nowMs: $1) }
    }

    mutating func drain(_ executorId: String) {
        guard processes[executorId]?.drainingSinceMs == nil else { return }
        processes[executorId]?.drainingSinceMs = nowMs
        if known[executorId] != nil { known[executorId]?.draining = true } else { expectUnknown = executorId }
        event("drain \(executorId)") { $0.executorDraining(executorId, nowMs: $1) }
    }

    /// A drain that outlasts its grace period ends in the process exiting, which the driver sees.
    mutating func endExpiredDrains() {
        for executorId in aliveProcessIds {
            guard let sinceMs = processes[executorId]?.drainingSinceMs, nowMs - sinceMs > 10_000 else { continue }
            killAnnounced(executorId)
        }
    }

    /// A shuffle file vanishes from a live process without the scheduler hearing of it.
    mutating func loseShuffleFile() {
        let holders = aliveProcessIds.filter { processes[$0]?.outputs.isEmpty == false }
        guard let holder = rng.pick(holders), let output = rng.pick(processes[holder]?.outputs.sorted() ?? []) else {
            return
        }
        processes[holder]?.outputs.remove(output)
    }

    mutating func cancelJob(_ job: String) {
        let ending = runningBatches.filter { $0.job == job }
        for key in ending {
            batches[key]?.status = .cancelled
            runningBatches.remove(key)
        }
        if let index = jobs.firstIndex(where: { $0.name == job }) {
            jobs[index].inFlight = []
            jobs[index].retries = []
        }
        let before = scheduler.stats.batchesCancelled
        counts.cancelled += ending.count
        event("cancel \(job)") { $0.cancelJob(job, nowMs: $1) }
        log.check(scheduler.stats.batchesCancelled - before == ending.count, "cancel dropped a wrong number of batches")
    }

    /// Each job keeps up to its limit of batches in flight, retrying failed ones first.
    mutating func submitDueBatches() {
        for index in jobs.indices where jobs[index].inFlight.count < jobs[index].batchesInFlightMax {
            guard chaos && rng.chance(30) else { continue }
            let batchId: Int64
            if jobs[index].retries.isEmpty {
                batchId = jobs[index].nextBatchId
                jobs[index].nextBatchId += 1
            } else {
                batchId = jobs[index].retries.removeFirst()
            }
            let after = chooseAfter(jobs[index], batchId: batchId)
            let spec = BatchSpec(job: jobs[index].name, batchId: batchId, stages: randomStages(), after: after)
            let predecessor = after.map { BatchKey(job: spec.batch.job, batchId: $0) }
            let gatedBy = predecessor.flatMap { runningBatches.contains($0) ? $0 : nil }
            if gatedBy != nil { counts.gatedSubmissions += 1 }
            jobs[index].inFlight.append(spec.batch)
            batches[spec.batch] = SimBatch(spec: spec, predecessor: gatedBy)
            runningBatches.insert(spec.batch)
            event("submit \(spec.batch)") { try $0.submitBatch(spec, nowMs: $1) }
        }
    }

    /// Like the pipelining driver: mostly the job's latest batch still in flight below this one (a
    /// retried batch may be lower than one in flight); else now and then the batch just before,
    /// which has ended and so gates nothing.
    private mutating func chooseAfter(_ job: SimJob, batchId: Int64) -> Int64? {
        let latest = job.inFlight.map(\.batchId).filter { $0 < batchId }.max()
        if let latest { return rng.chance(75) ? latest : nil }
        return batchId > 0 && rng.chance(30) ? batchId - 1 : nil
    }

    /// One of the shapes planners make: one stage, map-reduce, a chain, a diamond, a join.
    private mutating func randomStages() -> [StageSpec] {
        var stages: [StageSpec]
        let width = { (rng: inout SplitMix64) in rng.int(1...4) }
        switch rng.int(0...4) {
        case 0: stages = [StageSpec(partitionCount: width(&rng))]
        case 1: stages = [StageSpec(partitionCount: width(&rng)), StageSpec(partitionCount: width(&rng), parents: [0])]
        case 2:
            stages = [
                StageSpec(partitionCount: width(&rng)), StageSpec(partitionCount: width(&rng), parents: [0]),
                StageSpec(partitionCount: width(&rng), parents: [1]),
            ]
        case 3:
            stages = [
                StageSpec(partitionCount: width(&rng)), StageSpec(partitionCount: width(&rng), parents: [0]),
                StageSpec(partitionCount: width(&rng), parents: [0]),
                StageSpec(partitionCount: width(&rng), parents: [1, 2]),
            ]
        default:
            stages = [
                StageSpec(partitionCount: width(&rng)), StageSpec(partitionCount: width(&rng)),
                StageSpec(partitionCount: width(&rng), parents: [1, 0]),
            ]
        }
        for index in stages.indices where rng.chance(20) {
            let target = rng.pick(processOrder + ["ghost"]) ?? "ghost"
            stages[index].preferredExecutors[rng.int(0...(stages[index].partitionCount - 1))] = target
        }
        return stages
    }

    /// Hands one arrived message to the scheduler with what the books say must happen.
    mutating func deliver(_ message: SimMessage) {
        let executorId = message.executorId
        switch message.kind {
        case .heartbeat:
            if known[executorId] != nil { known[executorId]?.lastHeardMs = nowMs } else { expectUnknown = executorId }
            event("heartbeat \(executorId)") { $0.executorHeartbeat(executorId, nowMs: $1) }
        case .succeeded(let attemptId):
            let launch = live[attemptId]
            if launch != nil { endLive(attemptId) } else { counts.staleDelivered += 1 }
            let before = scheduler.stats
            event("success \(attemptId)", accepting: launch) {
                $0.attemptSucceeded(attemptId: attemptId, executorId: executorId, nowMs: $1)
            }
            log.check(
                launch != nil || scheduler.stats.staleReportsIgnored == before.staleReportsIgnored + 1,
                "stale uncounted")
        case .failed(let attemptId, let error, let fetch):
            deliverFailure(attemptId, executorId, error, fetch)
        }
    }

    private mutating func deliverFailure(
        _ attemptId: UInt64, _ executorId: String, _ error: String, _ fetch: FetchFailure?
    ) {
        // Which counter must move: a live attempt's failure is counted or blamed on a fetch, else stale.
        var expected = (counted: 0, fetch: 0, stale: 0)
        if let launch = live[attemptId] {
            endLive(attemptId)
            let key = launch.task.batch
            if let fetch {
                expected.fetch = 1
                counts.fetchFailures += 1
                let mapTask = TaskKey(batch: key, stage: fetch.stage, partition: fetch.mapPartition)
                if batches[key]?.accepted[mapTask]?.last == fetch.location.attemptId {
                    invalid.insert(fetch.location.attemptId)
                }
            } else {
                expected.counted = 1
                batches[key]?.countedFailures[launch.task, default: 0] += 1
                batches[key]?.lastError[launch.task] = error
            }
        } else {
            expected.stale = 1
            counts.staleDelivered += 1
        }
        let before = scheduler.stats
        event("failure \(attemptId)") {
            $0.attemptFailed(attemptId: attemptId, executorId: executorId, error: error, fetchFailure: fetch, nowMs: $1)
        }
        let after = scheduler.stats
        log.check(after.failuresCounted - before.failuresCounted == expected.counted, "\(attemptId) counted wrongly")
        log.check(after.fetchFailures - before.fetchFailures == expected.fetch, "\(attemptId) fetch failure miscounted")
        log.check(after.staleReportsIgnored - before.staleReportsIgnored == expected.stale, "\(attemptId) staleness")
    }
}
