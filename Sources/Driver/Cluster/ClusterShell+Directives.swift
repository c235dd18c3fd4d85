import Query
import Scheduler
import Synchronization
import Wire

/// What the shell does outside its lock after an event.
enum ShellAction: Sendable {
    /// Send a task attempt to an executor (an RPC call whose response is the result).
    case launch(RPCConnection, executorId: String, TaskDescription)
    /// Ask an executor to stop an attempt (one-way, best effort).
    case cancel(RPCConnection, attemptId: UInt64)
    /// Let go of an executor's connection: at once when it is lost, cleanly when it was released.
    case close(RPCConnection, abort: Bool)
    /// A batch's map stage is done: every map task has an accepted result.
    case mapsDone(BatchHandle, [MapTaskReport])
    /// A batch ended.
    case finish(BatchHandle, BatchOutcome)
    /// A line for the driver's log.
    case log(String)
}

extension ClusterShell {
    /// Runs one scheduler event under the lock and carries out what it decided outside it.
    func schedulerEvent(origin: RPCConnection?, _ body: (inout TaskScheduler, Int64) -> [SchedulerDirective]) {
        let actions = state.withLock { state in
            process(body(&state.scheduler, Self.nowMs()), &state, origin: origin)
        }
        perform(actions)
    }

    /// Keeps the bookkeeping the directives ask for (under the lock) and returns the I/O to do.
    /// `origin` is the connection the event came from, closed if it named an unknown executor.
    func process(_ directives: [SchedulerDirective], _ state: inout State, origin: RPCConnection?) -> [ShellAction] {
        var actions: [ShellAction] = []
        var followUps: [SchedulerDirective] = []
        for directive in directives {
            switch directive {
            case .launch(let launch):
                if let action = launchAction(launch, state) {
                    actions.append(action)
                } else {
                    // The batch is gone (cancelled): end the attempt so its slot frees.
                    followUps += state.scheduler.attemptFailed(
                        attemptId: launch.attemptId, executorId: launch.executorId, error: "batch cancelled",
                        nowMs: Self.nowMs())
                }
            case .cancelAttempt(let attemptId, let executorId):
                if let record = state.executors[executorId] {
                    actions.append(.cancel(record.connection, attemptId: attemptId))
                }
            case .resultAccepted(let attemptId, let task, let executorId):
                keepResult(attemptId, task, executorId, &state)
                if let action = announceMaps(task.batch, &state) { actions.append(action) }
            case .batchSucceeded(let key):
                if let run = state.runs.removeValue(forKey: key) {
                    actions.append(.finish(run.handle, outcome(of: run)))
                }
            case .batchFailed(let key, let reason):
                if let run = state.runs.removeValue(forKey: key) {
                    actions.append(.finish(run.handle, .failed(reason.description)))
                }
            case .executorLost(let executorId, let reason):
                if let record = forgetExecutor(executorId, &state) {
                    actions.append(.close(record.connection, abort: true))
                }
                actions.append(.log("executor \(executorId) lost: \(reason)"))
            case .releaseExecutor(let executorId):
                if let record = forgetExecutor(executorId, &state) {
                    actions.append(.close(record.connection, abort: false))
                }
                actions.append(.log("executor \(executorId) released after draining"))
            case .executorUnknown(let executorId):
                if let record = forgetExecutor(executorId, &state) {
                    actions.append(.close(record.connection, abort: true))
                } else if let origin {
                    actions.append(.close(origin, abort: true))
                }
            }
        }
        if !followUps.isEmpty { actions += process(followUps, &state, origin: origin) }
        return actions
    }

    /// Carries out actions in order; nothing here blocks (calls run on tasks of their own).
    func perform(_ actions: [ShellAction]) {
        for action in actions {
            switch action {
            case .launch(let connection, let executorId, let description):
                Task(priority: .control) { await self.runAttempt(description, executorId: executorId, on: connection) }
            case .cancel(let connection, let attemptId):
                try? connection.send(ClusterMessageKind.cancelTask.rawValue, CancelTask(attemptId: attemptId).encoded())
            case .close(let connection, let abort):
                if abort {
                    connection.abort(.connectionClosed("executor lost"))
                } else {
                    Task { await connection.close() }
                }
            case .mapsDone(let handle, let reports):
                handle.mapsDone(reports)
            case .finish(let handle, let outcome):
                handle.finish(outcome)
            case .log(let line):
                log(line)
            }
        }
    }

    private func keepResult(_ attemptId: UInt64, _ task: TaskKey, _ executorId: String, _ state: inout State) {
        guard let outcome = state.arrived[attemptId], var run = state.runs[task.batch] else { return }
        switch outcome {
        case .map(let report):
            run.maps[task.partition] = report
            run.mapExecutors[task.partition] = executorId
        case .reduce(let report): run.reduces[task.partition] = report
        case .failed: return
        }
        state.runs[task.batch] = run
    }

    /// Tells the batch's job thread, once, that its map stage is done, so it can plan the next batch.
    private func announceMaps(_ key: BatchKey, _ state: inout State) -> ShellAction? {
        guard var run = state.runs[key], !run.mapsAnnounced, let reports = run.mapReports else { return nil }
        run.mapsAnnounced = true
        state.runs[key] = run
        return .mapsDone(run.handle, reports)
    }

    private func outcome(of run: BatchRun) -> BatchOutcome {
        let reduceCount = run.request.reducePartitions ?? 0
        let reduces = (0..<reduceCount).compactMap { run.reduces[$0] }
        guard let maps = run.mapReports, reduces.count == reduceCount else {
            return .failed("batch \(run.request.offsets.batchId) finished without every task's result")
        }
        return .succeeded(BatchResults(maps: maps, reduces: reduces))
    }

    private func forgetExecutor(_ executorId: String, _ state: inout State) -> ExecutorRecord? {
        guard let record = state.executors.removeValue(forKey: executorId) else { return nil }
        state.executorByConnection[ObjectIdentifier(record.connection)] = nil
        state.completedTasks[executorId] = nil
        return record
    }
}
