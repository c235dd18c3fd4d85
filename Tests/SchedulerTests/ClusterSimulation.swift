@testable import Scheduler

/// One job as the simulated driver runs it: batches one or two at a time, a failed batch retried.
struct SimJob {
    let name: String
    let batchesInFlightMax: Int
    var nextBatchId: Int64 = 0
    var inFlight: [BatchKey] = []
    var retries: [Int64] = []
}

/// What a run exercised, summed over seeds to show the simulation reaches every rule.
struct SimCounts: Equatable {
    var accepted = 0
    var succeeded = 0
    var failed = 0
    var cancelled = 0
    var staleDelivered = 0
    var fetchFailures = 0
    var timeouts = 0
    var released = 0
    var resubmissions = 0
    var events = 0
    var calmSteps = 0
    var calmEvents = 0
    /// Batches submitted while the batch their `after` names was in flight.
    var gatedSubmissions = 0
    /// Launches of shuffle-reading tasks of such batches (each after the predecessor ended).
    var gatedLaunches = 0
    /// Batches failed with `predecessorFailed`.
    var predecessorFailures = 0

    static func + (lhs: SimCounts, rhs: SimCounts) -> SimCounts {
        SimCounts(
            accepted: lhs.accepted + rhs.accepted, succeeded: lhs.succeeded + rhs.succeeded,
            failed: lhs.failed + rhs.failed, cancelled: lhs.cancelled + rhs.cancelled,
            staleDelivered: lhs.staleDelivered + rhs.staleDelivered,
            fetchFailures: lhs.fetchFailures + rhs.fetchFailures, timeouts: lhs.timeouts + rhs.timeouts,
            released: lhs.released + rhs.released, resubmissions: lhs.resubmissions + rhs.resubmissions,
            events: lhs.events + rhs.events, calmSteps: lhs.calmSteps + rhs.calmSteps,
            calmEvents: lhs.calmEvents + rhs.calmEvents, gatedSubmissions: lhs.gatedSubmissions + rhs.gatedSubmissions,
            gatedLaunches: lhs.gatedLaunches + rhs.gatedLaunches,
            predecessorFailures: lhs.predecessorFailures + rhs.predecessorFailures)
    }
}

/// A seeded, simulated cluster around one scheduler: executors join, die (silently or announced),
/// get partitioned, drain, slow down and lose shuffle files; tasks fail; jobs submit, retry and are
/// cancelled. The cluster keeps its own truth (SimWorld) and its own books of what the scheduler
/// should believe (SimLedger); every event's directives are checked against both, and the
/// scheduler's bookkeeping against the books after every event. A failure names its seed.
struct ClusterSimulation {
    let seed: UInt64
    var rng: SplitMix64
    var scheduler: TaskScheduler
    var nowMs: Int64 = 0
    let log: SimFailureLog
    var counts = SimCounts()
    var tracing = false
    var verbose = false
    var trace: UInt64 = 0xCBF2_9CE4_8422_2325
    let failurePercentDuringChaos: Int
    var failurePercent: Int
    var chaos = true

    // The cluster's truth.
    var processes: [String: SimProcess] = [:]
    var processOrder: [String] = []
    var runs: [UInt64: SimRun] = [:]
    var inbox: [SimMessage] = []
    var messageSequence = 0

    // The books.
    var known: [String: SimKnown] = [:]
    var live: [UInt64: TaskLaunch] = [:]
    var liveByTask: [TaskKey: UInt64] = [:]
    var batches: [BatchKey: SimBatch] = [:]
    var runningBatches: Set<BatchKey> = []
    var jobs: [SimJob] = []
    var acceptedOn: [UInt64: String] = [:]
    var invalid: Set<UInt64> = []
    var issuedAttemptIds: Set<UInt64> = []
    var expectUnknown: String?
    var expectLoss: String?

    init(seed: UInt64, tracing: Bool = false) {
        self.seed = seed
        self.tracing = tracing
        rng = SplitMix64(seed: seed)
        log = SimFailureLog(seed: seed)
        let config = SchedulerConfig(
            executorTimeoutMs: Int64(rng.int(3...6) * 1000), localityWaitMs: Int64(rng.pick([0, 50, 200]) ?? 50),
            attemptsMax: rng.pick([2, 4, 4]) ?? 4, taskLaunchesMax: rng.pick([8, 64]) ?? 64,
            stageResubmissionsPerBatchMax: rng.pick([2, 16]) ?? 16)
        scheduler = TaskScheduler(config: config, firstAttemptId: rng.next() % 1_000_000 + 1)
        failurePercentDuringChaos = rng.pick([0, 5, 15, 40]) ?? 5
        failurePercent = failurePercentDuringChaos
        jobs = (0..<rng.int(1...3)).map { SimJob(name: "job\($0)", batchesInFlightMax: rng.int(1...2)) }
    }

    /// `chaosSteps` steps of everything going wrong, then calm until every batch has ended.
    mutating func run(chaosSteps: Int) {
        for _ in 0..<rng.int(0...3) { register() }
        for _ in 0..<chaosSteps where failures.isEmpty { step() }
        calmDown()
        var calmSteps = 0
        let chaosEvents = counts.events
        while failures.isEmpty && !allEnded && calmSteps < 4000 {
            ensureUsableExecutor()
            step()
            calmSteps += 1
        }
        counts.calmSteps = calmSteps
        counts.calmEvents = counts.events - chaosEvents
        checkEnd()
    }

    private mutating func step() {
        // Calm needs no fine steps: it only waits for partitions, drains and timeouts to run out.
        nowMs += Int64(chaos ? rng.int(1...150) : rng.int(50...400))
        log.nowMs = nowMs
        completeDueRuns()
        runProcessTimers()
        for message in takeArrivedMessages() where failures.isEmpty { deliver(message) }
        if chaos && failures.isEmpty { act() }
        if failures.isEmpty { submitDueBatches() }
        if failures.isEmpty { endExpiredDrains() }
        // Like the driver: tick when the scheduler says a deadline is due, and now and then anyway.
        let due = scheduler.nextDeadlineMs.map { $0 <= nowMs } ?? false
        if failures.isEmpty && (due || rng.chance(10)) { event("tick") { $0.tick(nowMs: $1) } }
    }

    /// One random mishap or change, or nothing.
    private mutating func act() {
        let roll = rng.int(0...99)
        let alive = aliveProcessIds
        switch roll {
        case 0..<4 where alive.count < 6: register()
        case 4..<6: if let victim = rng.pick(alive) { stopProcess(victim, .dead) }  // silent: found by tick
        case 6..<8: if let victim = rng.pick(alive) { killAnnounced(victim) }
        case 8..<9:
            if let victim = rng.pick(alive) {
                processes[victim]?.partitionedUntilMs = nowMs + Int64(rng.int(300...8000))
            }
        case 9..<10: if let victim = rng.pick(alive) { drain(victim) }
        case 10..<13:
            if let victim = rng.pick(alive) {
                processes[victim]?.speedPercent = rng.pick([100, 200, 500, 1500]) ?? 100
            }
        case 13..<15: loseShuffleFile()
        case 15..<16: if let job = rng.pick(jobs.map(\.name)) { cancelJob(job) }
        default: break
        }
    }

    /// From now on nothing new goes wrong: no kills, partitions or failures; slow executors recover.
    /// Partitions already under way run their course.
    private mutating func calmDown() {
        chaos = false
        failurePercent = 0
        for executorId in processOrder { processes[executorId]?.speedPercent = 100 }
    }

    /// A fresh executor joins whenever no registered one could run a task: the cluster "can finish".
    private mutating func ensureUsableExecutor() {
        let usable = aliveProcessIds.contains { id in
            known[id] != nil && processes[id]?.drainingSinceMs == nil && processes[id]?.partitionedUntilMs == nil
        }
        if !usable { register() }
    }

    private var allEnded: Bool { runningBatches.isEmpty }

    private mutating func checkEnd() {
        guard failures.isEmpty else { return }
        let stuck = runningBatches.map(\.description).sorted()
        log.check(stuck.isEmpty, "batches never finished though the cluster calmed down: \(stuck); \(clusterSummary)")
        log.check(scheduler.isIdle, "bookkeeping left after every batch ended: \(scheduler.batchStatuses)")
        log.check(scheduler.runningAttempts.isEmpty && live.isEmpty, "attempts left running")
        log.check(scheduler.executorStatuses.allSatisfy { $0.runningAttempts == 0 }, "slots still taken")
        counts.resubmissions = scheduler.stats.stageResubmissions
    }

    /// Processes and what the scheduler should know of them, for a failure message.
    var clusterSummary: String {
        let shown = processOrder.compactMap { id -> String? in
            guard let process = processes[id], process.isAlive || known[id] != nil else { return nil }
            let flags = [
                process.isAlive ? "alive" : "\(process.life)", known[id] == nil ? "unknown" : "known",
                process.drainingSinceMs != nil ? "draining" : "",
                process.partitionedUntilMs != nil ? "partitioned" : "",
            ]
            return "\(id)(\(process.slots)): " + flags.filter { !$0.isEmpty }.joined(separator: ",")
        }
        return "processes " + shown.joined(separator: "; ")
    }
}
