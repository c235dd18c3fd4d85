import Foundation
import Query
import Synchronization
import Wire

/// An executor: registers with the driver (retrying until it is up, and anew with a new id after
/// losing it), heartbeats, runs the tasks the driver launches on `slots` dedicated threads, and
/// serves its shuffle blocks to other executors. The same object runs inside `spate executor`
/// and, in process, behind `spate run --local`.
public final class ExecutorNode: Sendable {
    enum Phase: Sendable {
        case running
        case leaving
        case stopped
    }

    struct Lifecycle: Sendable {
        var phase = Phase.running
        var connection: RPCConnection?
        var session: DriverSession?
        var sessionCounter: UInt64 = 0
        var registrations = 0
        var registrationWaiters: [RegistrationWaiter] = []
        var nextWaiterId: UInt64 = 0
        /// Waiters whose time ran out before they were queued.
        var expiredWaiters: Set<UInt64> = []
        var loop: Task<Void, Never>?
    }

    struct RegistrationWaiter: Sendable {
        let id: UInt64
        let after: Int
        let continuation: CheckedContinuation<String?, Never>
    }

    /// The settings it runs with.
    public let config: ExecutorConfig
    /// Where the shuffle server listens.
    public let shuffleAddress: SocketAddress
    let shuffleServer: ShuffleServer
    let runner: TaskRunner
    let slots: SlotPool
    let attempts = RunningAttempts()
    let lifecycle = Mutex(Lifecycle())

    private init(config: ExecutorConfig, shuffleServer: ShuffleServer, runner: TaskRunner) {
        self.config = config
        self.shuffleServer = shuffleServer
        self.shuffleAddress = shuffleServer.address
        self.runner = runner
        self.slots = SlotPool(count: config.slots, queuedMax: config.queuedTasksMax, name: "spate-task")
    }

    /// Starts the shuffle server and the driver session loop; returns at once, before the driver
    /// has been reached (`registered(timeoutMs:)` waits for that).
    public static func start(_ config: ExecutorConfig) async throws(ExecutorError) -> ExecutorNode {
        if let problem = config.problem { throw .invalidConfig(problem) }
        let shuffle = ShuffleStore(bytesMax: config.shuffleBytesMax)
        let server = try await offPool { () throws(ExecutorError) in
            try ShuffleServer(
                bindHost: config.bindHost, port: config.shufflePort, options: config.rpc, secret: config.secret,
                store: shuffle)
        }
        let settings = TaskSettings(
            fetchBytesMax: config.fetchBytesMax, taskInputBytesMax: config.taskInputBytesMax,
            readsAhead: config.readAhead.readsAhead(
                slots: config.slots, cores: ProcessInfo.processInfo.activeProcessorCount),
            sourceWaitMs: config.sourceWaitMs,
            fetchTimeoutMs: config.fetchTimeoutMs,
            stateBytesMax: config.stateBytesMax, messageBytesMax: config.rpc.frameBytesMax - RPCFrameHeader.byteCount,
            onTaskFinished: config.onTaskFinished)
        let runner = TaskRunner(
            settings: settings, plans: PlanCache(entriesMax: config.cachedPlansMax),
            brokers: BrokerClients(clientId: "spate-executor"), shuffle: shuffle,
            states: StateCache(entriesMax: config.cachedStatesMax),
            peers: PeerConnections(options: config.rpc, secret: config.secret))
        let node = ExecutorNode(config: config, shuffleServer: server, runner: runner)
        let loop = Task(priority: .control) { await node.sessionLoop() }
        node.lifecycle.withLock { $0.loop = loop }
        return node
    }

    /// The id of the current registration; nil while not registered.
    public var executorId: String? { lifecycle.withLock { $0.session?.executorId } }

    /// Registrations so far (a reconnect registers anew).
    public var registrationCount: Int { lifecycle.withLock { $0.registrations } }

    /// Attempts accepted and not yet answered.
    public var runningTaskCount: Int { attempts.count }

    /// Waits until the executor has registered more than `after` times, and returns the id of its
    /// current registration; nil after `timeoutMs` or once it stops.
    public func registered(after: Int = 0, timeoutMs: Int) async -> String? {
        let id = lifecycle.withLock { state -> UInt64 in
            state.nextWaiterId += 1
            return state.nextWaiterId
        }
        let timer = Task {
            do { try await Task.sleep(nanoseconds: UInt64(max(0, timeoutMs)) * 1_000_000) } catch { return }
            self.resumeRegistrationWaiters(expiring: id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let ready = lifecycle.withLock { state -> String?? in
                if state.registrations > after, let session = state.session { return .some(session.executorId) }
                if state.phase == .stopped || state.expiredWaiters.remove(id) != nil { return .some(nil) }
                state.registrationWaiters.append(RegistrationWaiter(id: id, after: after, continuation: continuation))
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Resumes the registration waiters that are satisfied, the one whose time is up, and all of
    /// them once the executor has stopped.
    func resumeRegistrationWaiters(expiring expired: UInt64? = nil) {
        let due = lifecycle.withLock { state -> [(CheckedContinuation<String?, Never>, String?)] in
            var due: [(CheckedContinuation<String?, Never>, String?)] = []
            if let expired, !state.registrationWaiters.contains(where: { $0.id == expired }) {
                state.expiredWaiters.insert(expired)
            }
            state.registrationWaiters.removeAll { waiter in
                if state.registrations > waiter.after, let session = state.session {
                    due.append((waiter.continuation, session.executorId))
                    return true
                }
                if waiter.id == expired || state.phase == .stopped {
                    due.append((waiter.continuation, nil))
                    return true
                }
                return false
            }
            return due
        }
        for (continuation, id) in due { continuation.resume(returning: id) }
    }

    func log(_ line: String) {
        config.log?(line)
    }
}
