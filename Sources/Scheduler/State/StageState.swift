/// One stage's tasks, with counters kept in step by `setPhase` so completeness checks are O(1).
struct StageState: Sendable {
    let parents: [Int]
    /// Whether a partition's next task prefers where this one succeeded (`StageSpec`).
    let remembersPlacement: Bool
    /// Stages reading this one's shuffle output; empty for a result (sink) stage.
    var children: [Int] = []
    private(set) var tasks: [TaskState]
    private(set) var doneCount = 0
    private(set) var outputCount = 0
    private(set) var waitingCount: Int
    /// When the stage last became runnable (every parent's output available, and for a stage with
    /// parents, no predecessor batch to wait for); nil while it is not.
    var runnableSinceMs: Int64?

    init(spec: StageSpec, nowMs: Int64) {
        parents = spec.parents
        remembersPlacement = spec.remembersPlacement
        tasks = (0..<spec.partitionCount).map { partition in
            TaskState(phase: .waiting(sinceMs: nowMs), preferredExecutorId: spec.preferredExecutors[partition])
        }
        waitingCount = spec.partitionCount
    }

    var isSink: Bool { children.isEmpty }
    /// Every task has an accepted result.
    var isComplete: Bool { doneCount == tasks.count }
    /// Every task's shuffle output can be read.
    var outputsAvailable: Bool { outputCount == tasks.count }

    /// The one way a task changes phase, so the counters never drift.
    mutating func setPhase(_ partition: Int, _ phase: TaskPhase) {
        let old = tasks[partition].phase
        if case .done(let accepted, _, _) = old, case .done(let next, _, _) = phase {
            precondition(accepted == next, "partition \(partition) accepts a second result")
        }
        if case .running = old, case .running = phase { preconditionFailure("partition \(partition) runs twice") }
        doneCount += (phase.isDone ? 1 : 0) - (old.isDone ? 1 : 0)
        outputCount += (phase.outputLocation != nil ? 1 : 0) - (old.outputLocation != nil ? 1 : 0)
        waitingCount += (phase.isWaiting ? 1 : 0) - (old.isWaiting ? 1 : 0)
        tasks[partition].phase = phase
    }

    /// Changes a task's counters and hints; its phase only through `setPhase`.
    mutating func updateTask(_ partition: Int, _ body: (inout TaskState) -> Void) {
        let phase = tasks[partition].phase
        body(&tasks[partition])
        precondition(tasks[partition].phase == phase, "task phases change only through setPhase")
    }

    /// Counters recomputed from scratch, for the invariant check.
    var countersAreConsistent: Bool {
        var done = 0
        var outputs = 0
        var waiting = 0
        for task in tasks {
            switch task.phase {
            case .waiting: waiting += 1
            case .running: break
            case .done(_, _, let outputLost):
                done += 1
                outputs += outputLost ? 0 : 1
            }
        }
        return done == doneCount && outputs == outputCount && waiting == waitingCount
    }
}

/// One batch in flight.
struct BatchState: Sendable {
    let key: BatchKey
    var stages: [StageState]
    /// Stage resubmissions so far, bounded by `stageResubmissionsPerBatchMax`.
    var resubmissions = 0
    /// The batch in flight whose end the stages with parents wait for (`BatchSpec.after`, kept only
    /// if that batch was in flight at submission). Cleared when it succeeds; its failure fails this one.
    var gatedBy: BatchKey?

    init(spec: BatchSpec, gatedBy: BatchKey?, nowMs: Int64) {
        key = spec.batch
        self.gatedBy = gatedBy
        stages = spec.stages.map { StageState(spec: $0, nowMs: nowMs) }
        for (index, stage) in spec.stages.enumerated() {
            for parent in stage.parents { stages[parent].children.append(index) }
        }
    }

    /// Every sink stage is complete. Each stage feeds some sink, and a task launches only once all
    /// its parents' outputs exist, so this means every task of every stage had an accepted result.
    var isComplete: Bool {
        for stage in stages where stage.isSink && !stage.isComplete { return false }
        return true
    }

    /// Whether every parent of the stage has its full output available.
    func parentsAvailable(_ stage: Int) -> Bool {
        for parent in stages[stage].parents where !stages[parent].outputsAvailable { return false }
        return true
    }

    /// Whether the stage's waiting tasks may launch: its parents' output is all there, and it reads
    /// no shuffle while the batch still waits for its predecessor (whose state its tasks restore).
    func isRunnable(_ stage: Int) -> Bool {
        guard gatedBy == nil || stages[stage].parents.isEmpty else { return false }
        return parentsAvailable(stage)
    }

    /// Starts (or stops) each stage's runnable clock as its parents' output comes and goes and its
    /// gate opens; the clock starts a task's locality wait.
    mutating func markRunnableStages(nowMs: Int64) {
        for stageIndex in 0..<stages.count {
            let runnable = isRunnable(stageIndex)
            if runnable && stages[stageIndex].runnableSinceMs == nil {
                stages[stageIndex].runnableSinceMs = nowMs
            } else if !runnable && stages[stageIndex].runnableSinceMs != nil {
                stages[stageIndex].runnableSinceMs = nil
            }
        }
    }

    /// Where every parent map partition's output lives; all of it exists, or the stage would wait.
    func shuffleInputs(for stage: Int) -> [ShuffleInput] {
        stages[stage].parents.map { parent in
            let outputs = stages[parent].tasks.compactMap(\.phase.outputLocation)
            precondition(outputs.count == stages[parent].tasks.count, "stage \(stage) of \(key) launched early")
            return ShuffleInput(stage: parent, mapOutputs: outputs)
        }
    }

    /// Attempts running in this batch, in stage and partition order.
    var runningAttemptIds: [UInt64] {
        stages.flatMap { stage in
            stage.tasks.compactMap { task in
                if case .running(let attemptId) = task.phase { return attemptId }
                return nil
            }
        }
    }
}
