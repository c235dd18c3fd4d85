import Foundation
import Query
import Synchronization
import Wire

/// `spate driver`: the checkpoint store, the job table, the cluster shell, and the RPC and HTTP
/// servers around them. Jobs the checkpoint marks running are resumed at start.
public final class DriverService: Sendable {
    /// One job as the driver knows it: running (with its runner) or at rest (stopped or failed).
    final class JobEntry: Sendable {
        let jobId: String
        let sql: String
        let explain: String
        let runner: JobRunner?
        let resting: JobSnapshot?

        init(jobId: String, sql: String, explain: String, runner: JobRunner?, resting: JobSnapshot?) {
            self.jobId = jobId
            self.sql = sql
            self.explain = explain
            self.runner = runner
            self.resting = resting
        }

        var snapshot: JobSnapshot {
            runner?.status ?? resting ?? JobSnapshot(jobId: jobId, state: .failed, createdAtMs: 0)
        }
    }

    struct Jobs {
        var entries: [String: JobEntry] = [:]
        /// Names being submitted right now, so two submissions of one name cannot race.
        var submitting: Set<String> = []
        var stopping = false
    }

    /// The configuration it runs with.
    public let config: DriverConfig
    /// The checkpoint directory.
    public let store: CheckpointStore
    /// Executors and the scheduler.
    public let cluster: ClusterShell
    /// `/metrics`.
    public let metrics: DriverMetrics
    let brokerFactory: @Sendable (String) -> any DriverBroker
    let jobs = Mutex(Jobs())
    let servers = Mutex<(rpc: RPCServer?, http: HTTPServer?)>((nil, nil))
    let addresses = Mutex<(rpc: SocketAddress?, http: SocketAddress?)>((nil, nil))

    /// A driver over `config`'s checkpoint directory; `brokerFactory` gives each job its broker
    /// access (one per job). Nothing listens until `start`.
    public init(config: DriverConfig, brokerFactory: @escaping @Sendable (String) -> any DriverBroker)
        throws(DriverError)
    {
        self.config = config
        do throws(CheckpointError) {
            store = try CheckpointStore(root: config.checkpointDirectory)
        } catch {
            throw .checkpoint(error)
        }
        self.brokerFactory = brokerFactory
        cluster = ClusterShell(
            config: ClusterConfig(
                brokerAddress: config.brokerAddress, heartbeatIntervalMs: config.heartbeatIntervalMs,
                executorTimeoutMs: config.heartbeatTimeoutMs), log: config.log)
        metrics = DriverMetrics()
        metrics.watch(cluster: cluster) { [weak self] in self?.jobSnapshots.map(\.state) ?? [] }
    }

    /// The RPC server's address, once started.
    public var rpcAddress: SocketAddress? { addresses.withLock { $0.rpc } }
    /// The HTTP server's address, once started (nil without HTTP).
    public var httpAddress: SocketAddress? { addresses.withLock { $0.http } }

    // MARK: jobs

    /// Loads every job of the checkpoint and resumes those marked running. Blocking.
    func resumeJobs() throws(DriverError) {
        let ids: [String]
        do throws(CheckpointError) {
            ids = try store.jobIds()
        } catch {
            throw .checkpoint(error)
        }
        for jobId in ids { loadJob(jobId) }
    }

    private func loadJob(_ jobId: String) {
        let checkpoint = store.job(jobId)
        do throws(CheckpointError) {
            let meta = try checkpoint.readMeta()
            let sql = try checkpoint.readSQL()
            let plan: JobPlan
            do throws(SQLError) {
                plan = try QueryCompiler.compile(sql, fileName: "\(jobId).sql")
            } catch {
                return rest(jobId, sql: sql, explain: "", meta: meta, failure: "its SQL no longer compiles: \(error)")
            }
            guard meta.state == .running else {
                return rest(jobId, sql: sql, explain: plan.explain(), meta: meta, failure: meta.failure)
            }
            config.log("resuming job \(jobId) from its checkpoint")
            startRunner(jobId, sql: sql, plan: plan, createdAtMs: meta.createdAtMs, checkpoint: checkpoint)
        } catch {
            config.log("job \(jobId) cannot be loaded: \(error)")
            let meta = JobMeta(name: jobId, createdAtMs: 0, state: .failed)
            rest(jobId, sql: "", explain: "", meta: meta, failure: "its checkpoint cannot be read: \(error)")
        }
    }

    /// Records a job that is not running.
    private func rest(_ jobId: String, sql: String, explain: String, meta: JobMeta, failure: String?) {
        var snapshot = JobSnapshot(
            jobId: jobId, state: meta.state == .stopped && failure == nil ? .stopped : .failed,
            createdAtMs: meta.createdAtMs)
        snapshot.failure = failure
        if meta.state == .running, let failure {
            var failed = meta
            failed.state = .failed
            failed.failure = failure
            try? store.job(jobId).writeMeta(failed)
        }
        let entry = JobEntry(jobId: jobId, sql: sql, explain: explain, runner: nil, resting: snapshot)
        jobs.withLock { $0.entries[jobId] = entry }
    }

    private func startRunner(_ jobId: String, sql: String, plan: JobPlan, createdAtMs: Int64, checkpoint: JobCheckpoint)
    {
        let broker = brokerFactory(jobId)
        let sink = SinkFactory.make(
            plan.sink, jobId: jobId, broker: broker, workingDirectory: config.workingDirectory, console: config.console)
        let environment = JobEnvironment(
            checkpoint: checkpoint, broker: broker, runner: cluster, sink: sink,
            deadLetters: DeadLetterWriter(broker: broker, jobId: jobId, sourceTopic: plan.source.topic),
            counters: metrics.job(jobId), log: config.log)
        let runner = JobRunner(
            jobId: jobId, sql: sql, plan: plan, createdAtMs: createdAtMs, environment: environment,
            pollIntervalMs: config.pollIntervalMs)
        let entry = JobEntry(jobId: jobId, sql: sql, explain: plan.explain(), runner: runner, resting: nil)
        jobs.withLock { $0.entries[jobId] = entry }
        runner.start()
    }

    /// Compiles and starts a job; returns its id. A job that does not compile is refused with the
    /// compiler's message and nothing starts. A stopped or failed job submitted again under its name
    /// with the same SQL resumes from its checkpoint. Blocking (compiles, writes the checkpoint).
    public func submit(name: String?, sql: String, fileName: String) throws(DriverError) -> String {
        let plan: JobPlan
        do throws(SQLError) {
            plan = try QueryCompiler.compile(sql, fileName: fileName)
        } catch {
            throw .invalidSQL(error.description)
        }
        let jobId = name ?? JobName.derived(fromFileName: fileName)
        if let problem = JobName.problem(jobId) { throw .invalidName(problem) }
        try claim(jobId)
        defer { jobs.withLock { _ = $0.submitting.remove(jobId) } }
        guard let (checkpoint, createdAtMs) = try prepareCheckpoint(jobId, sql: sql) else {
            throw .conflictingJob(name: jobId, directory: store.job(jobId).directory)
        }
        config.log("job \(jobId) submitted")
        startRunner(jobId, sql: sql, plan: plan, createdAtMs: createdAtMs, checkpoint: checkpoint)
        return jobId
    }

    /// Reserves `jobId` for a submission, refusing a running job or a stopping driver.
    private func claim(_ jobId: String) throws(DriverError) {
        try jobs.withLock { jobs throws(DriverError) in
            if jobs.stopping { throw .jobRunning(jobId) }
            if jobs.submitting.contains(jobId) { throw .jobRunning(jobId) }
            if let runner = jobs.entries[jobId]?.runner, !runner.isFinished { throw .jobRunning(jobId) }
            jobs.submitting.insert(jobId)
        }
    }

    /// The job's checkpoint and creation time: created, or (same SQL) marked running again; nil
    /// when the checkpoint holds a job of that name with other SQL.
    private func prepareCheckpoint(_ jobId: String, sql: String) throws(DriverError) -> (JobCheckpoint, Int64)? {
        let checkpoint = store.job(jobId)
        do throws(CheckpointError) {
            guard try store.jobIds().contains(jobId) else {
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let meta = JobMeta(name: jobId, createdAtMs: now, state: .running)
                return (try store.createJob(jobId, sql: sql, meta: meta), now)
            }
            if try checkpoint.readSQL() != sql { return nil }
            var meta = try checkpoint.readMeta()
            meta.state = .running
            meta.failure = nil
            try checkpoint.writeMeta(meta)
            return (checkpoint, meta.createdAtMs)
        } catch {
            throw .checkpoint(error)
        }
    }

    /// Every job, sorted by id.
    public var jobSnapshots: [JobSnapshot] {
        jobs.withLock { $0.entries.values.map(\.snapshot) }.sorted { $0.jobId < $1.jobId }
    }

    /// One job's snapshot, SQL and plan.
    func entry(_ jobId: String) -> JobEntry? { jobs.withLock { $0.entries[jobId] } }

    /// Stops the job after its current batch (abandoning it after `DriverConfig.stopGraceMs`);
    /// returns once it has stopped.
    public func stop(jobId: String) async throws(DriverError) {
        guard let entry = entry(jobId) else { throw .unknownJob(jobId) }
        guard let runner = entry.runner else { return }
        runner.requestStop(graceMs: config.stopGraceMs)
        await runner.finished()
    }
}
