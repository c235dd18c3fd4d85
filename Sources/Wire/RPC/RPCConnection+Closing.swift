import Foundation

extension RPCConnection {
    /// Closes cleanly: no new calls, then goodbye once local handlers are done; calls already sent
    /// still get their responses. Returns when the connection has ended (or after `closeTimeoutMs`).
    public func close() async {
        calls.withLock { $0.refusal = $0.refusal ?? .connectionClosed("connection closed locally") }
        sendGoodbyeIfDrained(initiating: true)
        let deadline = MonotonicClock.milliseconds() + UInt64(options.closeTimeoutMs)
        while !isClosed && MonotonicClock.milliseconds() < deadline {
            await waitClosed(timeoutMs: 50)
        }
        if !isClosed { abort(.connectionClosed("peer did not finish closing within \(options.closeTimeoutMs) ms")) }
        await waitClosed(timeoutMs: options.closeTimeoutMs)
    }

    /// Cuts the connection at once: pending calls fail with `reason`.
    public func abort(_ reason: RPCError) {
        lifecycle.withLock { $0.abortReason = $0.abortReason ?? reason }
        socket.shutdown()
    }

    /// Suspends until the connection has ended or `timeoutMs` passed.
    func waitClosed(timeoutMs: Int) async {
        let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMs)
        while !isClosed && MonotonicClock.milliseconds() < deadline {
            try? await Task.sleep(nanoseconds: 1_000_000)
        }
    }

    /// Sends goodbye once this side has nothing more to say: the peer asked (or we initiate) and no
    /// local handler is still running. Goodbye is followed by a half-close of our sending side.
    func sendGoodbyeIfDrained(initiating: Bool = false) {
        let send = lifecycle.withLock { state -> Bool in
            if initiating { state.closeRequested = true }
            let wanted = state.closeRequested || state.goodbyeReceived
            guard wanted, !state.goodbyeSent, state.handlersInFlight == 0, state.closedReason == nil else {
                return false
            }
            state.goodbyeSent = true
            return true
        }
        guard send else { return }
        // The half-close waits for the queue: a flush in progress elsewhere would otherwise lose the goodbye.
        if sendFrame(.goodbye, 0, 0, [], thenShutdownWrite: true) != nil { socket.shutdownWrite() }
    }

    /// Blocks the reader thread (after the peer's goodbye and end of stream) until local handlers
    /// have answered and our goodbye is out, so their responses are not cut off.
    func awaitLocalDrain() {
        let deadline = MonotonicClock.milliseconds() + UInt64(options.closeTimeoutMs)
        while MonotonicClock.milliseconds() < deadline {
            if lifecycle.withLock({ $0.goodbyeSent && $0.handlersInFlight == 0 }) { return }
            usleep(1_000)
        }
    }

    /// Ends the connection exactly once: fails waiting calls, wakes waiters, tells observers.
    func finish(_ reason: RPCError) {
        let observers = lifecycle.withLock { state -> [@Sendable (RPCError) -> Void]? in
            guard state.closedReason == nil else { return nil }
            state.closedReason = reason
            let observers = state.closeObservers
            state.closeObservers = []
            return observers
        }
        guard let observers else { return }
        // The error frame that explains this close may sit behind a handler's write in progress;
        // shutting the socket now would cut it off.
        writer.drain(timeoutMs: options.closeTimeoutMs)
        writer.fail(PosixError(call: "send", errno: EPIPE, context: "connection closed"))
        socket.shutdown()
        let pending = calls.withLock { table -> [Pending] in
            table.refusal = table.refusal ?? reason
            let pending = Array(table.calls.values)
            table.calls = [:]
            return pending
        }
        for call in pending { call.continuation.resume(returning: .failure(reason)) }
        for observer in observers { observer(reason) }
    }
}
