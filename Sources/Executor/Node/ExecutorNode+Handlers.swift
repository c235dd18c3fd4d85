import Query
import Wire

extension ExecutorNode {
    /// The handlers of one driver connection; `box` gives them the session once registered.
    func driverHandlers(_ box: SessionBox) -> RPCHandlers {
        let handlers = RPCHandlers()
        handlers.register(ClusterMessageKind.launchTask.rawValue) { [weak self] _, body in
            let task: TaskDescription
            do { task = try TaskDescription.decode(body) } catch {
                throw RPCHandlerError(.badRequest, "malformed task description: \(error)")
            }
            guard let self, let session = await box.session() else {
                throw RPCHandlerError(.shuttingDown, "this executor is not registered on this connection")
            }
            return self.encodedResult(await self.launch(task, session))
        }
        handlers.registerOneWay(ClusterMessageKind.cancelTask.rawValue) { [weak self] _, body in
            guard let cancel = try? CancelTask.decode(body) else { return }
            self?.attempts.cancel(cancel.attemptId, reason: "cancelled by the driver")
        }
        handlers.registerOneWay(ClusterMessageKind.releaseShuffle.rawValue) { [weak self] _, body in
            guard let release = try? ReleaseShuffle.decode(body) else { return }
            self?.runner.shuffle.release(jobId: release.jobId, throughBatch: release.batchId)
        }
        return handlers
    }

    /// Queues the attempt on a slot and waits for its outcome without holding a pool thread.
    func launch(_ task: TaskDescription, _ session: DriverSession) async -> TaskResult {
        guard isRunning else {
            return TaskResult(attemptId: task.attemptId, outcome: .failed("the executor is leaving", fetchFailure: nil))
        }
        guard let flag = attempts.begin(task.attemptId, session: session.id) else {
            return TaskResult(
                attemptId: task.attemptId,
                outcome: .failed("attempt \(task.attemptId) is already running on this executor", fetchFailure: nil))
        }
        let context = TaskContext(task: task, session: session, cancel: flag)
        let runner = self.runner
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<TaskOutcome, Never>) in
            let queued = slots.submit { continuation.resume(returning: runner.run(context)) }
            if !queued {
                continuation.resume(
                    returning: .failed(
                        "\(context.label): the executor's task queue is full or closed", fetchFailure: nil))
            }
        }
        attempts.end(task.attemptId)
        return TaskResult(attemptId: task.attemptId, outcome: outcome)
    }

    /// The result's bytes; a result too large for one frame becomes a failure that says so.
    private func encodedResult(_ result: TaskResult) -> [UInt8] {
        let bytes = result.encoded()
        let limit = config.rpc.frameBytesMax - RPCFrameHeader.byteCount
        guard bytes.count > limit else { return bytes }
        let message =
            "the task's result is \(bytes.count) bytes, more than one RPC frame carries (\(limit)); "
            + "lower the batch size (max_records_per_batch) or aggregate more"
        return TaskResult(attemptId: result.attemptId, outcome: .failed(message, fetchFailure: nil)).encoded()
    }
}
