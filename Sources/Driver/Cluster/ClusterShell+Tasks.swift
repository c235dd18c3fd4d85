import Query
import Scheduler
import Wire

extension ClusterShell {
    /// The launch of `launch` on its executor, or nil when its batch is no longer running.
    func launchAction(_ launch: TaskLaunch, _ state: State) -> ShellAction? {
        guard let run = state.runs[launch.task.batch], let record = state.executors[launch.executorId] else {
            return nil
        }
        let request = run.request
        let work: TaskWork
        if launch.task.stage == 0 {
            let range = request.offsets.ranges[launch.task.partition]
            work = .map(
                topic: request.offsets.topic, sourcePartition: range.partition, startOffset: range.start,
                endOffset: range.end)
        } else {
            let outputs = (launch.inputs.first?.mapOutputs ?? []).enumerated().map { mapPartition, location in
                let holder = state.executors[location.executorId]
                return ShuffleBlockSource(
                    mapPartition: Int32(mapPartition), mapAttemptId: location.attemptId,
                    executorId: location.executorId, host: holder?.shuffleHost ?? "", port: holder?.shufflePort ?? 0)
            }
            work = .reduce(
                mapOutputs: outputs, stateVersion: request.stateVersion, snapshotWanted: request.snapshotWanted)
        }
        let description = TaskDescription(
            attemptId: launch.attemptId, jobId: request.jobId, jobSQL: request.jobSQL, batchId: request.offsets.batchId,
            stage: Int32(launch.task.stage), partition: Int32(launch.task.partition),
            attempt: Int32(launch.attemptNumber), watermarkMs: request.offsets.watermarkMs, work: work)
        return .launch(record.connection, executorId: launch.executorId, description)
    }

    /// Sends one attempt and reports how it ended. A call that fails because the connection went
    /// away means the executor is lost; any other failure fails the attempt.
    func runAttempt(_ description: TaskDescription, executorId: String, on connection: RPCConnection) async {
        let attemptId = description.attemptId
        let bytes: [UInt8]
        do throws(RPCError) {
            bytes = try await connection.call(
                ClusterMessageKind.launchTask.rawValue, description.encoded(), timeoutMs: config.taskTimeoutMs)
        } catch {
            if case .connectionClosed(let reason) = error {
                return executorGone(executorId, reason: "connection closed: \(reason)")
            }
            return attemptEnded(
                attemptId, executorId: executorId, stage: description.stage, .failed("\(error)", fetchFailure: nil))
        }
        do throws(DecodeError) {
            let result = try TaskResult.decode(bytes)
            guard result.attemptId == attemptId else {
                let message = "executor answered attempt \(attemptId) with a result for \(result.attemptId)"
                return attemptEnded(
                    attemptId, executorId: executorId, stage: description.stage, .failed(message, fetchFailure: nil))
            }
            attemptEnded(attemptId, executorId: executorId, stage: description.stage, result.outcome)
        } catch {
            let message = "malformed task result: \(error)"
            attemptEnded(
                attemptId, executorId: executorId, stage: description.stage, .failed(message, fetchFailure: nil))
        }
    }

    /// Hands an attempt's end to the scheduler; a successful result is kept only if the scheduler
    /// accepts it (`resultAccepted`), within the same event.
    func attemptEnded(_ attemptId: UInt64, executorId: String, stage: Int32, _ outcome: TaskOutcome) {
        var outcome = outcome
        switch (stage, outcome) {
        case (0, .map), (1, .reduce), (_, .failed): break
        default: outcome = .failed("stage \(stage) task returned the other stage's report", fetchFailure: nil)
        }
        let actions = state.withLock { state -> [ShellAction] in
            let now = Self.nowMs()
            let directives: [SchedulerDirective]
            switch outcome {
            case .map, .reduce:
                state.arrived[attemptId] = outcome
                if state.executors[executorId] != nil { state.completedTasks[executorId, default: 0] += 1 }
                directives = state.scheduler.attemptSucceeded(attemptId: attemptId, executorId: executorId, nowMs: now)
            case .failed(let message, let fetch):
                let fetchFailure = fetch.map { failure in
                    FetchFailure(
                        stage: Int(failure.stage), mapPartition: Int(failure.mapPartition),
                        location: MapOutputLocation(executorId: failure.executorId, attemptId: failure.mapAttemptId))
                }
                directives = state.scheduler.attemptFailed(
                    attemptId: attemptId, executorId: executorId, error: message, fetchFailure: fetchFailure, nowMs: now
                )
            }
            let actions = process(directives, &state, origin: nil)
            state.arrived[attemptId] = nil
            return actions
        }
        perform(actions)
    }

    /// An executor's connection ended: it is lost now, not after a heartbeat timeout.
    func executorGone(_ executorId: String, reason: String) {
        schedulerEvent(origin: nil) { scheduler, now in scheduler.executorLost(executorId, reason: reason, nowMs: now) }
    }
}
