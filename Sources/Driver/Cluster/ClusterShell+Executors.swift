import Query
import Scheduler
import Wire

extension ClusterShell {
    /// Registers the executor messages (`registerExecutor`, `heartbeat`, `executorLeaving`) on
    /// `handlers`, each behind `gate`.
    public func install(on handlers: RPCHandlers, gate: ClusterAuthGate) {
        handlers.register(
            ClusterMessageKind.registerExecutor.rawValue,
            gate.guarded { [self] context, body in
                try register(context.connection, body)
            })
        handlers.registerOneWay(
            ClusterMessageKind.heartbeat.rawValue,
            gate.guardedOneWay { [self] context, body in
                heartbeat(context.connection, body)
            })
        handlers.register(
            ClusterMessageKind.executorLeaving.rawValue,
            gate.guarded { [self] context, body in
                try leaving(context.connection, body)
                return []
            })
    }

    /// A new executor: a fresh id (a reconnecting process registers anew and gets a new one).
    func register(_ connection: RPCConnection, _ body: [UInt8]) throws(RPCHandlerError) -> [UInt8] {
        let request: RegisterExecutor
        do throws(DecodeError) {
            request = try RegisterExecutor.decode(body)
        } catch {
            throw RPCHandlerError(.badRequest, "malformed registration: \(error)")
        }
        guard request.slots > 0, !request.shuffleHost.isEmpty else {
            throw RPCHandlerError(.badRequest, "an executor needs at least one slot and a shuffle host")
        }
        let connectionId = ObjectIdentifier(connection)
        let (executorId, actions) = try state.withLock { state throws(RPCHandlerError) -> (String, [ShellAction]) in
            guard !state.stopped else { throw RPCHandlerError(.shuttingDown, "the driver is stopping") }
            if let existing = state.executorByConnection[connectionId] {
                throw RPCHandlerError(.badRequest, "this connection is already executor \(existing)")
            }
            let executorId = "exec-\(state.executorsRegistered + 1)-\(Self.randomSuffix())"
            let now = Self.nowMs()
            let directives: [SchedulerDirective]
            do throws(SchedulerError) {
                directives = try state.scheduler.registerExecutor(executorId, slots: Int(request.slots), nowMs: now)
            } catch {
                throw RPCHandlerError(.badRequest, error.description)
            }
            state.executorsRegistered += 1
            state.executors[executorId] = ExecutorRecord(
                executorId: executorId, name: request.name, slots: Int(request.slots), shuffleHost: request.shuffleHost,
                shufflePort: request.shufflePort, pid: request.pid, registeredAtMs: now, connection: connection)
            state.executorByConnection[connectionId] = executorId
            return (executorId, process(directives, &state, origin: connection))
        }
        connection.onClose { [weak self] reason in self?.executorGone(executorId, reason: "\(reason)") }
        log(
            "executor \(executorId) registered: \(request.name), \(request.slots) slots, "
                + "shuffle at \(request.shuffleHost):\(request.shufflePort)")
        // Tasks may be launched (on this connection) before the registration answer arrives.
        perform(actions)
        return ExecutorRegistered(
            executorId: executorId, heartbeatIntervalMs: config.heartbeatIntervalMs,
            brokerAddress: config.brokerAddress
        ).encoded()
    }

    /// A heartbeat from the executor registered on `connection`; one naming another id is closed.
    func heartbeat(_ connection: RPCConnection, _ body: [UInt8]) {
        guard let beat = try? ExecutorHeartbeat.decode(body) else {
            return connection.abort(.connectionClosed("bad heartbeat"))
        }
        let owner = state.withLock { $0.executorByConnection[ObjectIdentifier(connection)] }
        guard owner == beat.executorId else {
            return connection.abort(
                .connectionClosed("heartbeat for \(beat.executorId) on another executor's connection"))
        }
        schedulerEvent(origin: connection) { scheduler, now in scheduler.executorHeartbeat(beat.executorId, nowMs: now)
        }
    }

    /// The executor got SIGTERM: no new tasks; it is released once its tasks and shuffle output are done.
    func leaving(_ connection: RPCConnection, _ body: [UInt8]) throws(RPCHandlerError) {
        let notice: ExecutorLeaving
        do throws(DecodeError) {
            notice = try ExecutorLeaving.decode(body)
        } catch {
            throw RPCHandlerError(.badRequest, "malformed leaving notice: \(error)")
        }
        let owner = state.withLock { $0.executorByConnection[ObjectIdentifier(connection)] }
        guard owner == notice.executorId else {
            throw RPCHandlerError(.badRequest, "\(notice.executorId) is not the executor of this connection")
        }
        log("executor \(notice.executorId) is leaving: finishing its tasks")
        schedulerEvent(origin: connection) { scheduler, now in scheduler.executorDraining(notice.executorId, nowMs: now)
        }
    }

    /// Six hex digits, so ids of different driver runs differ.
    static func randomSuffix() -> String {
        String(UInt32.random(in: 0..<(1 << 24)), radix: 16).leftPadded(to: 6)
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
