import Foundation
import Query
import Synchronization
import Testing
import Wire

@testable import Driver

/// How long a test waits for something that should happen soon; only a failing test waits this long.
let safetyNetMs = 60_000

/// RPC options whose timeouts are the safety net, so a busy test machine cannot cut a call short.
var patientOptions: RPCOptions {
    var options = RPCOptions()
    options.callTimeoutMs = safetyNetMs
    options.connectTimeoutMs = safetyNetMs
    options.closeTimeoutMs = safetyNetMs
    return options
}

/// Polls `condition` until it holds or the safety net passes; returns whether it held.
func eventually(_ condition: () -> Bool) async -> Bool {
    let deadline = MonotonicClock.milliseconds() + UInt64(safetyNetMs)
    while MonotonicClock.milliseconds() < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 2_000_000)
    }
    return condition()
}

/// Runs a blocking call on a thread of its own and awaits its result.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// An in-process executor: registers with the driver over a real RPC connection and answers each
/// `launchTask` with what `behavior` returns (nil: never answer, as a hung or dying process).
final class FakeExecutor: Sendable {
    typealias Behavior = @Sendable (FakeExecutor, TaskDescription) async -> TaskResult?

    let connection: RPCConnection
    let executorId: String
    let registered: ExecutorRegistered
    let received = Mutex<[TaskDescription]>([])
    let cancelled = Mutex<[UInt64]>([])
    let released = Mutex<[ReleaseShuffle]>([])

    private init(
        connection: RPCConnection, registered: ExecutorRegistered
    ) {
        self.connection = connection
        self.registered = registered
        self.executorId = registered.executorId
    }

    /// Connects to `driver`, optionally authenticates, and registers with `slots` slots.
    static func start(
        driver: SocketAddress, slots: Int32 = 1, shufflePort: UInt16, secret: String? = nil,
        behavior: @escaping Behavior = FakeExecutor.canned
    ) async throws -> FakeExecutor {
        let handlers = RPCHandlers()
        let box = Mutex<FakeExecutor?>(nil)
        handlers.register(ClusterMessageKind.launchTask.rawValue) { _, body in
            let description = try TaskDescription.decode(body)
            // A launch may arrive before the registration answer: wait for ourselves.
            var executor: FakeExecutor?
            while executor == nil {
                executor = box.withLock { $0 }
                if executor == nil { try await Task.sleep(nanoseconds: 1_000_000) }
            }
            guard let executor else { throw RPCHandlerError(.handlerFailed, "no executor") }
            executor.received.withLock { $0.append(description) }
            guard let result = await behavior(executor, description) else {
                // Hung: never answers, until the driver cancels the attempt or the connection ends.
                _ = await eventually {
                    executor.connection.isClosed || executor.cancelled.withLock { $0.contains(description.attemptId) }
                }
                throw RPCHandlerError(.handlerFailed, "hung")
            }
            return result.encoded()
        }
        handlers.registerOneWay(ClusterMessageKind.cancelTask.rawValue) { _, body in
            guard let cancel = try? CancelTask.decode(body) else { return }
            box.withLock { $0 }?.cancelled.withLock { $0.append(cancel.attemptId) }
        }
        handlers.registerOneWay(ClusterMessageKind.releaseShuffle.rawValue) { _, body in
            guard let release = try? ReleaseShuffle.decode(body) else { return }
            box.withLock { $0 }?.released.withLock { $0.append(release) }
        }
        let connection = try await RPCClient.connect(to: driver, options: patientOptions, handlers: handlers)
        if let secret { try await ClusterAuth.authenticate(connection, secret: secret) }
        let request = RegisterExecutor(
            name: "fake-\(shufflePort)", slots: slots, shuffleHost: "127.0.0.1", shufflePort: shufflePort, pid: 42)
        let answer = try ExecutorRegistered.decode(
            try await connection.call(ClusterMessageKind.registerExecutor.rawValue, request.encoded()))
        let executor = FakeExecutor(connection: connection, registered: answer)
        box.withLock { $0 = executor }
        return executor
    }

    /// Dies like `kill -9`: the connection is cut without goodbye.
    func kill() { connection.abort(.connectionClosed("killed")) }

    /// A one-way heartbeat.
    func heartbeat() throws {
        try connection.send(
            ClusterMessageKind.heartbeat.rawValue,
            ExecutorHeartbeat(executorId: executorId, runningAttemptIds: []).encoded())
    }

    /// Answers every task with `FakeExecutor.result(for:)`.
    static let canned: Behavior = { _, description in result(for: description) }

    /// The canned, deterministic result of a task: a map task reads its whole range (each record
    /// an event at `offset * 1000` ms) and dead-letters every 10th offset; a reduce task emits one
    /// row naming its partition and batch, with a delta of [partition, batch].
    static func result(for description: TaskDescription) -> TaskResult {
        switch description.work {
        case .map(_, let partition, let start, let end):
            let letters = stride(from: start, to: end, by: 1).filter { $0 % 10 == 9 }.map {
                DeadLetter(
                    partition: partition, offset: $0, reason: .malformed("bad \($0)"), raw: Array("raw\($0)".utf8))
            }
            let report = MapTaskReport(
                inputRecords: end - start, inputBytes: 10 * (end - start), lateRows: 0,
                minEventTimeMs: end > start ? start * 1000 : nil, maxEventTimeMs: end > start ? (end - 1) * 1000 : nil,
                deadLetters: letters, rows: nil)
            return TaskResult(attemptId: description.attemptId, outcome: .map(report))
        case .reduce(_, _, let snapshotWanted):
            let rows = RecordBatch(
                schema: Schema([Field("partition", .int64), Field("batch", .int64)]),
                columns: [
                    Column(.int64, values: [.int64(Int64(description.partition))]),
                    Column(.int64, values: [.int64(description.batchId)]),
                ])
            let delta: [UInt8] = [UInt8(description.partition), UInt8(truncatingIfNeeded: description.batchId)]
            let report = ReduceTaskReport(
                rows: rows, stateDelta: delta, stateSnapshot: snapshotWanted ? [0xEE] + delta : nil, stateRowsTotal: 1,
                stateRowsUpdated: 1, stateRowsEvicted: 0, stateMemoryBytes: 64)
            return TaskResult(attemptId: description.attemptId, outcome: .reduce(report))
        }
    }
}

/// Lines logged by the code under test.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var all: [String] { lines.withLock { $0 } }
}
