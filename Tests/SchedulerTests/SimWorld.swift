@testable import Scheduler

/// One simulated executor process: the truth, whatever the scheduler believes.
struct SimProcess {
    enum Life: Equatable { case running, dead, exited }

    let executorId: String
    let slots: Int
    var life = Life.running
    /// While set, messages both ways wait until this time (a network partition).
    var partitionedUntilMs: Int64?
    var drainingSinceMs: Int64?
    var speedPercent = 100
    var nextHeartbeatMs: Int64
    /// Map attempts whose shuffle output this process really holds.
    var outputs: Set<UInt64> = []
    /// Launches sent during a partition; they start when it heals.
    var heldLaunches: [TaskLaunch] = []

    var isAlive: Bool { life == .running }
}

/// An attempt really running on a process.
struct SimRun {
    let launch: TaskLaunch
    let finishMs: Int64
    /// Decided at launch; nil: it succeeds unless it cannot fetch its input.
    let error: String?
}

/// A report on its way from an executor to the driver.
struct SimMessage {
    enum Kind {
        case heartbeat
        case succeeded(UInt64)
        case failed(UInt64, String, FetchFailure?)
    }

    let arriveMs: Int64
    let sequence: Int
    let executorId: String
    let kind: Kind
}

/// The cluster's truth: processes, what really runs, what is on the wire. It changes only through
/// these functions and never reads the scheduler's state.
extension ClusterSimulation {
    /// Executors heartbeat this often; executor timeouts are at least twice as long.
    static let heartbeatIntervalMs: Int64 = 1500

    mutating func spawnProcess(slots: Int) -> String {
        let executorId = "e\(processOrder.count)"
        processes[executorId] = SimProcess(
            executorId: executorId, slots: slots, nextHeartbeatMs: nowMs + Self.heartbeatIntervalMs)
        processOrder.append(executorId)
        return executorId
    }

    /// The driver sent a launch: it starts now, at the end of a partition, or never (dead process).
    mutating func startRun(_ launch: TaskLaunch) {
        guard let process = processes[launch.executorId], process.isAlive else { return }
        if process.partitionedUntilMs != nil {
            processes[launch.executorId]?.heldLaunches.append(launch)
            return
        }
        let durationMs = Int64(rng.int(5...300) * process.speedPercent / 100)
        let error = rng.chance(failurePercent) ? "task error \(rng.int(0...999))" : nil
        runs[launch.attemptId] = SimRun(launch: launch, finishMs: nowMs + durationMs, error: error)
    }

    /// The driver asked for a cancel: half the time the attempt stops, else it reports anyway.
    mutating func cancelRun(_ attemptId: UInt64, on executorId: String) {
        guard rng.chance(50) else { return }
        runs[attemptId] = nil
        processes[executorId]?.heldLaunches.removeAll { $0.attemptId == attemptId }
    }

    /// The process stops: runs, held launches and shuffle output go with it.
    mutating func stopProcess(_ executorId: String, _ life: SimProcess.Life) {
        guard processes[executorId]?.isAlive == true else { return }
        processes[executorId]?.life = life
        processes[executorId]?.outputs = []
        processes[executorId]?.heldLaunches = []
        for attemptId in runs.keys.sorted() where runs[attemptId]?.launch.executorId == executorId {
            runs[attemptId] = nil
        }
    }

    mutating func send(from executorId: String, _ kind: SimMessage.Kind) {
        let departMs = processes[executorId]?.partitionedUntilMs ?? nowMs
        inbox.append(
            SimMessage(
                arriveMs: departMs + Int64(rng.int(0...20)), sequence: messageSequence, executorId: executorId,
                kind: kind))
        messageSequence += 1
    }

    /// Finishes every run due by now, in time order, and puts its report on the wire.
    mutating func completeDueRuns() {
        let due = runs.values.filter { $0.finishMs <= nowMs }.sorted {
            ($0.finishMs, $0.launch.attemptId) < ($1.finishMs, $1.launch.attemptId)
        }
        for run in due {
            runs[run.launch.attemptId] = nil
            let launch = run.launch
            if let error = run.error {
                send(from: launch.executorId, .failed(launch.attemptId, error, nil))
            } else if let missing = missingInput(launch) {
                send(from: launch.executorId, .failed(launch.attemptId, "fetch failed", missing))
            } else {
                processes[launch.executorId]?.outputs.insert(launch.attemptId)
                send(from: launch.executorId, .succeeded(launch.attemptId))
            }
        }
    }

    /// The first input the attempt cannot read: its holder is not running or no longer has it.
    private func missingInput(_ launch: TaskLaunch) -> FetchFailure? {
        for input in launch.inputs {
            for (mapPartition, location) in input.mapOutputs.enumerated() {
                let holder = processes[location.executorId]
                if holder?.isAlive != true || holder?.outputs.contains(location.attemptId) != true {
                    return FetchFailure(stage: input.stage, mapPartition: mapPartition, location: location)
                }
            }
        }
        return nil
    }

    /// Heartbeats due, partitions healing, drains that outlast their grace period.
    mutating func runProcessTimers() {
        for executorId in processOrder {
            guard let process = processes[executorId], process.isAlive else { continue }
            if let untilMs = process.partitionedUntilMs, untilMs <= nowMs {
                processes[executorId]?.partitionedUntilMs = nil
                processes[executorId]?.heldLaunches = []
                for launch in process.heldLaunches { startRun(launch) }
            }
            if process.nextHeartbeatMs <= nowMs {
                send(from: executorId, .heartbeat)
                processes[executorId]?.nextHeartbeatMs = nowMs + Self.heartbeatIntervalMs + Int64(rng.int(0...50))
            }
        }
    }

    /// Messages due by now, in arrival order, removed from the wire.
    mutating func takeArrivedMessages() -> [SimMessage] {
        let arrived = inbox.filter { $0.arriveMs <= nowMs }.sorted {
            ($0.arriveMs, $0.sequence) < ($1.arriveMs, $1.sequence)
        }
        inbox.removeAll { $0.arriveMs <= nowMs }
        return arrived
    }

    var aliveProcessIds: [String] { processOrder.filter { processes[$0]?.isAlive == true } }
}
