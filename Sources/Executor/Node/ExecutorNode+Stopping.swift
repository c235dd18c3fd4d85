import Query
import Wire

extension ExecutorNode {
    /// Leaves cleanly (SIGTERM): tells the driver, takes no new tasks, lets running ones finish and
    /// delivers their results, keeps serving its shuffle blocks until the driver releases it (answers
    /// the leaving notice or closes the connection, at most `leaveTimeoutMs`), then closes everything.
    public func leave() async {
        let session = lifecycle.withLock { state -> DriverSession?? in
            guard state.phase == .running else { return .none }
            state.phase = .leaving
            return .some(state.session)
        }
        guard let session else { return }
        if let session {
            log("leaving: finishing \(attempts.count) running task(s)")
            let notice = ExecutorLeaving(executorId: session.executorId).encoded()
            let timeoutMs = config.leaveTimeoutMs
            // The driver answers once it no longer needs this executor's shuffle output.
            let released = Task {
                _ = try? await session.connection.call(
                    ClusterMessageKind.executorLeaving.rawValue, notice, timeoutMs: timeoutMs)
            }
            await attempts.waitIdle()
            await released.value
        } else {
            await attempts.waitIdle()
        }
        await shutDown(graceful: true)
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
