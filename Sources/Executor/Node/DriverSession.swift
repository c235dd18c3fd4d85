import Synchronization
import Wire

/// One registration with the driver: the connection it happened on and what the driver answered.
/// A reconnect is a new session with a new executor id.
struct DriverSession: Sendable {
    /// Distinguishes sessions within this process; attempts are tied to the session that launched them.
    let id: UInt64
    let executorId: String
    let brokerAddress: String
    let heartbeatIntervalMs: Int
    let connection: RPCConnection
}

/// The session of one driver connection as its handlers see it: a launch can arrive before the
/// registration answer has been processed, so handlers wait for it here.
final class SessionBox: Sendable {
    private struct State {
        var session: DriverSession?
        var ended = false
        var waiters: [CheckedContinuation<DriverSession?, Never>] = []
    }

    private let state = Mutex(State())

    /// The registration completed.
    func open(_ session: DriverSession) {
        let waiters = state.withLock { state in
            state.session = session
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: session) }
    }

    /// The connection ended (registered or not); waiters get nil.
    func end() {
        let waiters = state.withLock { state in
            state.ended = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// The session once registered; nil if the connection ends first.
    func session() async -> DriverSession? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> (DriverSession?, Bool) in
                if state.ended { return (nil, true) }
                if let session = state.session { return (session, true) }
                state.waiters.append(continuation)
                return (nil, false)
            }
            if ready.1 { continuation.resume(returning: ready.0) }
        }
    }
}
