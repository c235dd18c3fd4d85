import Foundation
import Query
import Wire

extension ExecutorNode {
    /// Connects, registers, serves the session until the connection ends, and starts over with a
    /// new registration, until the executor leaves or stops.
    func sessionLoop() async {
        var backoff = Backoff(initialMs: config.reconnectBackoffMs, maxMs: config.reconnectBackoffMaxMs)
        var failures = 0
        while isRunning {
            let box = SessionBox()
            let connection: RPCConnection
            do {
                connection = try await RPCClient.connect(
                    to: config.driverAddress, options: config.rpc, handlers: driverHandlers(box))
            } catch {
                failures += 1
                let pauseMs = backoff.next()
                log(
                    "waiting for the driver at \(config.driverAddress): \(error) (attempt \(failures), next in \(pauseMs) ms)"
                )
                await pause(ms: pauseMs)
                continue
            }
            guard adopt(connection) else {
                connection.abort(.connectionClosed("the executor is stopping"))
                box.end()
                break
            }
            do {
                let session = try await register(on: connection)
                failures = 0
                backoff.reset()
                box.open(session)
                await serve(session)
            } catch {
                failures += 1
                let pauseMs = backoff.next()
                log("registering with the driver at \(config.driverAddress) failed: \(error) (next in \(pauseMs) ms)")
                connection.abort(.connectionClosed("registration failed"))
                await pause(ms: pauseMs)
            }
            box.end()
            lifecycle.withLock { if $0.connection === connection { $0.connection = nil } }
        }
    }

    var isRunning: Bool { lifecycle.withLock { $0.phase == .running } }

    /// Sleeps, waking early when the loop task is cancelled (on stop).
    private func pause(ms: Int) async {
        try? await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
    }

    /// Makes `connection` the current one unless the executor is no longer running.
    private func adopt(_ connection: RPCConnection) -> Bool {
        lifecycle.withLock { state -> Bool in
            guard state.phase == .running else { return false }
            state.connection = connection
            return true
        }
    }

    /// Authenticates when a secret is set, then registers and records the session.
    private func register(on connection: RPCConnection) async throws -> DriverSession {
        if let secret = config.secret {
            try await ClusterAuth.authenticate(connection, secret: secret, timeoutMs: config.rpc.connectTimeoutMs)
        }
        let host = try await AdvertisedHost.resolve(
            advertise: config.advertiseHost, bindHost: config.bindHost, driverAddress: config.driverAddress,
            connectTimeoutMs: config.rpc.connectTimeoutMs)
        let request = RegisterExecutor(
            name: config.name, slots: Int32(config.slots), shuffleHost: host, shufflePort: shuffleAddress.port,
            pid: ProcessInfo.processInfo.processIdentifier)
        let reply = try await connection.call(ClusterMessageKind.registerExecutor.rawValue, request.encoded())
        let answer = try ExecutorRegistered.decode(reply)
        let session = lifecycle.withLock { state -> DriverSession in
            state.sessionCounter += 1
            let session = DriverSession(
                id: state.sessionCounter, executorId: answer.executorId, brokerAddress: answer.brokerAddress,
                heartbeatIntervalMs: Int(answer.heartbeatIntervalMs), connection: connection)
            state.session = session
            state.registrations += 1
            return session
        }
        resumeRegistrationWaiters()
        log(
            "registered with the driver at \(config.driverAddress) as \(answer.executorId) "
                + "(\(config.slots) slots, shuffle blocks at \(host):\(shuffleAddress.port))")
        return session
    }

    /// Heartbeats until the session's connection ends, then abandons what belonged to it: running
    /// attempts (their results cannot be delivered), candidate state and shuffle output.
    private func serve(_ session: DriverSession) async {
        let heartbeater = Heartbeater(session: session, attempts: attempts)
        let reason = await withCheckedContinuation { (continuation: CheckedContinuation<RPCError, Never>) in
            session.connection.onClose { continuation.resume(returning: $0) }
        }
        heartbeater.stop()
        lifecycle.withLock { if $0.session?.id == session.id { $0.session = nil } }
        attempts.cancelAll(session: session.id, reason: "the connection to the driver was lost")
        runner.states.removeAll()
        runner.shuffle.removeAll()
        if isRunning { log("lost the driver connection (\(reason)); registering anew") }
    }
}
