import Foundation
import Query
import Synchronization
import Testing
import Wire

/// A driver written for these tests: it registers executors (ids exec-1, exec-2, ... in order),
/// counts heartbeats, records leaving notices, keeps the state versions reduce tasks report and
/// serves them back through `fetchState`, and launches tasks it is handed on an executor's
/// connection, exactly as the real driver's RPC server would.
final class FakeDriver: Sendable {
    struct StateKey: Hashable {
        let jobId: String
        let partition: Int32
    }

    struct State {
        var registered = 0
        var connections: [String: RPCConnection] = [:]
        var registrations: [String: RegisterExecutor] = [:]
        var heartbeats: [String: Int] = [:]
        var events: [String] = []
        var deltas: [StateKey: [Int64: [UInt8]]] = [:]
        var snapshots: [StateKey: [Int64: [UInt8]]] = [:]
        var stateFetches = 0
    }

    let server: RPCServer
    let address: SocketAddress
    let brokerAddress: String
    final class Box: Sendable {
        let mutex = Mutex(State())
        func withLock<R>(_ body: (inout State) -> R) -> R { mutex.withLock { body(&$0) } }
    }

    let state = Box()

    var driverAddress: String { "127.0.0.1:\(address.port)" }

    init(brokerAddress: String, port: UInt16 = 0, heartbeatIntervalMs: Int32 = 50, secret: String? = nil) throws {
        self.brokerAddress = brokerAddress
        let handlers = GatedHandlers(secret: secret)
        server = RPCServer(handlers: handlers.handlers)
        let state = self.state
        handlers.register(ClusterMessageKind.registerExecutor.rawValue) { context, body in
            let request = try RegisterExecutor.decode(body)
            let id = state.withLock { state -> String in
                state.registered += 1
                let id = "exec-\(state.registered)"
                state.connections[id] = context.connection
                state.registrations[id] = request
                state.events.append("register \(id)")
                return id
            }
            return ExecutorRegistered(
                executorId: id, heartbeatIntervalMs: heartbeatIntervalMs, brokerAddress: brokerAddress
            ).encoded()
        }
        handlers.registerOneWay(ClusterMessageKind.heartbeat.rawValue) { _, body in
            guard let beat = try? ExecutorHeartbeat.decode(body) else { return }
            state.withLock { $0.heartbeats[beat.executorId, default: 0] += 1 }
        }
        handlers.register(ClusterMessageKind.executorLeaving.rawValue) { _, body in
            let notice = try ExecutorLeaving.decode(body)
            state.withLock { $0.events.append("leaving \(notice.executorId)") }
            return []
        }
        handlers.register(ClusterMessageKind.fetchState.rawValue) { _, body in
            let request = try StateRequest.decode(body)
            return state.withLock { state in
                state.stateFetches += 1
                return Self.versions(state, request).encoded()
            }
        }
        address = try server.start(on: try SocketAddress(host: "127.0.0.1", port: port))
    }

    /// Handlers behind the shared-secret gate the real driver installs (open without a secret).
    struct GatedHandlers {
        let handlers = RPCHandlers()
        let gate: ClusterAuthGate

        init(secret: String?) {
            gate = ClusterAuthGate(secret: secret) {
                (0..<ClusterAuth.nonceBytes).map { _ in UInt8.random(in: 0...255) }
            }
            gate.install(on: handlers)
        }

        func register(_ kind: UInt16, _ handler: @escaping RPCHandlers.Request) {
            handlers.register(kind, gate.guarded(handler))
        }

        func registerOneWay(_ kind: UInt16, _ handler: @escaping RPCHandlers.OneWay) {
            handlers.registerOneWay(kind, gate.guardedOneWay(handler))
        }
    }

    /// The latest snapshot at or below the wanted version, then every delta after it up to it.
    private static func versions(_ state: State, _ request: StateRequest) -> StateVersions {
        let key = StateKey(jobId: request.jobId, partition: request.partition)
        let snapshotVersion = (state.snapshots[key] ?? [:]).keys.filter { $0 <= request.version }.max()
        let snapshot = snapshotVersion.map { VersionedBytes(version: $0, bytes: state.snapshots[key]![$0]!) }
        let deltas = (state.deltas[key] ?? [:])
            .filter { $0.key > (snapshotVersion ?? -1) && $0.key <= request.version }
            .sorted { $0.key < $1.key }
            .map { VersionedBytes(version: $0.key, bytes: $0.value) }
        return StateVersions(snapshot: snapshot, deltas: deltas)
    }

    /// Launches `task` on executor `executorId` and waits for its result.
    func launch(_ task: TaskDescription, on executorId: String) async throws -> TaskResult {
        guard let connection = state.withLock({ $0.connections[executorId] }) else {
            throw TestFailure("no executor \(executorId) registered")
        }
        let reply = try await connection.call(
            ClusterMessageKind.launchTask.rawValue, task.encoded(), timeoutMs: 120_000)
        let result = try TaskResult.decode(reply)
        state.withLock { $0.events.append("result \(result.attemptId)") }
        return result
    }

    /// Keeps a reduce report's state version, as the real driver persists it at commit.
    func persist(_ report: ReduceTaskReport, jobId: String, partition: Int32, batchId: Int64) {
        let key = StateKey(jobId: jobId, partition: partition)
        state.withLock { state in
            state.deltas[key, default: [:]][batchId] = report.stateDelta
            if let snapshot = report.stateSnapshot { state.snapshots[key, default: [:]][batchId] = snapshot }
        }
    }

    /// The connection executor `executorId` registered on.
    func connection(of executorId: String) -> RPCConnection? { state.withLock { $0.connections[executorId] } }

    var events: [String] { state.withLock { $0.events } }

    /// Lets a leaving executor go, as the real driver does once it no longer needs its shuffle
    /// output: a clean close of its connection.
    func release(_ executorId: String) async {
        state.withLock { $0.events.append("released \(executorId)") }
        await connection(of: executorId)?.close()
    }
    var stateFetches: Int { state.withLock { $0.stateFetches } }
    func heartbeats(of executorId: String) -> Int { state.withLock { $0.heartbeats[executorId] ?? 0 } }
    func registration(of executorId: String) -> RegisterExecutor? { state.withLock { $0.registrations[executorId] } }

    func stop() async { await server.stop() }
}

/// Builds the task descriptions a driver would send for one job.
final class TaskFactory: Sendable {
    let jobId: String
    let sql: String
    let nextAttempt = Atomic<UInt64>(1)

    init(jobId: String = "pv_uv", sql: String = pvUVSQL) {
        self.jobId = jobId
        self.sql = sql
    }

    func map(
        batch: Int64, partition: Int32, topic: String = "website-logs", start: Int64, end: Int64, watermarkMs: Int64?,
        attempt: Int32 = 0
    ) -> TaskDescription {
        TaskDescription(
            attemptId: nextAttempt.add(1, ordering: .relaxed).oldValue, jobId: jobId, jobSQL: sql, batchId: batch,
            stage: 0, partition: partition, attempt: attempt, watermarkMs: watermarkMs,
            work: .map(topic: topic, sourcePartition: partition, startOffset: start, endOffset: end))
    }

    func reduce(
        batch: Int64, partition: Int32, outputs: [ShuffleBlockSource], stateVersion: Int64?, watermarkMs: Int64?,
        snapshotWanted: Bool = false, attempt: Int32 = 0
    ) -> TaskDescription {
        TaskDescription(
            attemptId: nextAttempt.add(1, ordering: .relaxed).oldValue, jobId: jobId, jobSQL: sql, batchId: batch,
            stage: 1, partition: partition, attempt: attempt, watermarkMs: watermarkMs,
            work: .reduce(mapOutputs: outputs, stateVersion: stateVersion, snapshotWanted: snapshotWanted))
    }
}

extension TaskOutcome {
    /// The map report, or a test failure that quotes the outcome.
    func mapReport() throws -> MapTaskReport {
        guard case .map(let report) = self else { throw TestFailure("expected a map report, got \(self)") }
        return report
    }

    /// The reduce report, or a test failure that quotes the outcome.
    func reduceReport() throws -> ReduceTaskReport {
        guard case .reduce(let report) = self else { throw TestFailure("expected a reduce report, got \(self)") }
        return report
    }
}
