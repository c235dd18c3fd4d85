import Query
import Synchronization
import Wire

extension ExecutorNode {
    /// Leaves cleanly (SIGTERM): tells the driver, takes no new tasks, lets running ones finish and
    /// delivers their results, then keeps serving its shuffle blocks until the driver releases it by
    /// closing the connection (at most `leaveTimeoutMs`), and closes everything.
    public func leave() async {
        let session = lifecycle.withLock { state -> DriverSession?? in
            guard state.phase == .running else { return .none }
            state.phase = .leaving
            return .some(state.session)
        }
        guard let session else { return }
        guard let session else {
            await attempts.waitIdle()
            return await shutDown(graceful: true)
        }
        log("leaving: finishing \(attempts.count) running task(s)")
        let notice = ExecutorLeaving(executorId: session.executorId).encoded()
        do {
            _ = try await session.connection.call(ClusterMessageKind.executorLeaving.rawValue, notice)
        } catch {
            log("the driver did not take the leaving notice: \(error)")
        }
        await attempts.waitIdle()
        if !session.connection.isClosed {
            log("tasks done; serving shuffle output until the driver releases this executor")
            if await !Self.closed(session.connection, withinMs: config.leaveTimeoutMs) {
                log("the driver did not release this executor within \(config.leaveTimeoutMs) ms; leaving anyway")
            }
        }
        await shutDown(graceful: true)
    }

    /// True once `connection` has closed, false if `withinMs` passed first.
    static func closed(_ connection: RPCConnection, withinMs: Int) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let pending = Mutex<CheckedContinuation<Bool, Never>?>(continuation)
            let timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, withinMs)) * 1_000_000)
                pending.withLock { $0.take() }?.resume(returning: false)
            }
            connection.onClose { _ in
                timer.cancel()
                pending.withLock { $0.take() }?.resume(returning: true)
            }
        }
    }

    /// Stops at once: running attempts are abandoned and every connection is cut.
    public func stop() async {
        attempts.cancelAll(session: nil, reason: "the executor is stopping")
        await shutDown(graceful: false)
    }

    private func shutDown(graceful: Bool) async {
        let (connection, loop, first) = lifecycle.withLock { state in
            let first = state.phase != .stopped
            state.phase = .stopped
            return (state.connection, state.loop, first)
        }
        guard first else {
            await loop?.value
            return
        }
        resumeRegistrationWaiters()
        if let connection {
            if graceful {
                await connection.close()
            } else {
                connection.abort(.connectionClosed("the executor stopped"))
            }
        }
        loop?.cancel()
        await loop?.value
        slots.close()
        await shuffleServer.stop()
        await runner.peers.closeAll()
        let brokers = runner.brokers
        await offPool { brokers.closeAll() }
        log("stopped")
    }
}
