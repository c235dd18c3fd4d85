import Query
import Wire

extension DriverService {
    /// The CLI's requests (submit, list, status, stop) and the executors' `fetchState`.
    func installClientHandlers(on handlers: RPCHandlers, gate: ClusterAuthGate) {
        handlers.register(
            ClusterMessageKind.submitJob.rawValue,
            gate.guarded { [self] _, body in
                let request = try Self.decode(SubmitJob.self, body)
                let jobId = try await Self.answeringAsync { () async throws(DriverError) in
                    try await offPool { () throws(DriverError) in
                        try self.submit(name: request.name, sql: request.sql, fileName: request.fileName)
                    }
                }
                return JobSubmitted(jobId: jobId).encoded()
            })
        handlers.register(
            ClusterMessageKind.listJobs.rawValue,
            gate.guarded { [self] _, _ in
                DriverJSON.jobList(jobSnapshots)
            })
        handlers.register(
            ClusterMessageKind.jobStatus.rawValue,
            gate.guarded { [self] _, body in
                let request = try Self.decode(JobRequest.self, body)
                guard let entry = entry(request.jobId) else {
                    throw RPCHandlerError(.badRequest, DriverError.unknownJob(request.jobId).description)
                }
                return DriverJSON.job(entry, executors: cluster.executors)
            })
        handlers.register(
            ClusterMessageKind.stopJob.rawValue,
            gate.guarded { [self] _, body in
                let request = try Self.decode(JobRequest.self, body)
                try await Self.answeringAsync { () async throws(DriverError) in try await stop(jobId: request.jobId) }
                return []
            })
        handlers.register(
            ClusterMessageKind.fetchState.rawValue,
            gate.guarded { [self] _, body in
                let request = try Self.decode(StateRequest.self, body)
                try Self.answering { () throws(DriverError) in
                    if let problem = JobName.problem(request.jobId) { throw .invalidName(problem) }
                }
                let checkpoint = store.job(request.jobId)
                let runner = jobs.withLock { $0.entries[request.jobId]?.runner }
                let waitMs = config.stateWaitMs
                return try await Self.answeringAsync { () async throws(DriverError) in
                    try await offPool { () throws(DriverError) in
                        // The version may be the one whose commit is being written right now.
                        runner?.waitForCommit(of: request.version, timeoutMs: waitMs)
                        do throws(CheckpointError) {
                            return try checkpoint.stateVersions(partition: request.partition, version: request.version)
                                .encoded()
                        } catch {
                            throw .checkpoint(error)
                        }
                    }
                }
            })
    }

    /// Decodes a request body, answering `badRequest` when it does not decode.
    static func decode<Message: ClusterMessage>(_ type: Message.Type, _ body: [UInt8]) throws(RPCHandlerError)
        -> Message
    {
        do throws(DecodeError) {
            return try Message.decode(body)
        } catch {
            throw RPCHandlerError(.badRequest, "malformed \(Message.self): \(error)")
        }
    }

    /// Runs `body`, turning a driver error into an error answer with its message.
    static func answeringAsync<T>(_ body: () async throws(DriverError) -> T) async throws(RPCHandlerError) -> T {
        do throws(DriverError) {
            return try await body()
        } catch {
            throw RPCHandlerError(.badRequest, error.description)
        }
    }

    /// The synchronous form of `answering`.
    static func answering<T>(_ body: () throws(DriverError) -> T) throws(RPCHandlerError) -> T {
        do throws(DriverError) {
            return try body()
        } catch {
            throw RPCHandlerError(.badRequest, error.description)
        }
    }
}
