import Synchronization

/// The attempts this executor has accepted and not yet answered, each with its cancel flag and the
/// driver session it belongs to (a lost session abandons its attempts).
final class RunningAttempts: Sendable {
    private struct Entry {
        let flag: CancelFlag
        let session: UInt64
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Records `attemptId` of `session`; nil if that attempt is already running here.
    func begin(_ attemptId: UInt64, session: UInt64) -> CancelFlag? {
        state.withLock { state -> CancelFlag? in
            guard state.entries[attemptId] == nil else { return nil }
            let flag = CancelFlag()
            state.entries[attemptId] = Entry(flag: flag, session: session)
            return flag
        }
    }

    /// Forgets `attemptId` once its result is on its way.
    func end(_ attemptId: UInt64) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.entries[attemptId] = nil
            guard state.entries.isEmpty else { return [] }
            defer { state.idleWaiters = [] }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Cancels one attempt (the driver no longer wants it).
    func cancel(_ attemptId: UInt64, reason: String) {
        state.withLock { $0.entries[attemptId] }?.flag.cancel(reason)
    }

    /// Cancels every attempt of `session` (nil: of every session).
    func cancelAll(session: UInt64?, reason: String) {
        let flags = state.withLock { state in
            state.entries.values.filter { session == nil || $0.session == session }.map(\.flag)
        }
        for flag in flags { flag.cancel(reason) }
    }

    /// Attempt ids of `session`, for heartbeats.
    func ids(session: UInt64) -> [UInt64] {
        state.withLock { state in state.entries.filter { $0.value.session == session }.map(\.key).sorted() }
    }

    /// Attempts running or queued.
    var count: Int { state.withLock { $0.entries.count } }

    /// Returns once no attempt is running.
    func waitIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                if state.entries.isEmpty { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
