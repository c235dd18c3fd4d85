import Dispatch
import Synchronization

/// A value one thread waits for and another delivers once: how a connection thread blocked on a
/// held JoinGroup or SyncGroup receives the answer another connection's request produced.
final class ResponseSlot<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    /// Delivers the value and wakes the waiter.
    func fill(_ delivered: Value) {
        value.withLock { $0 = delivered }
        ready.signal()
    }

    /// Wakes the waiter without a value (the broker is stopping).
    func cancel() { ready.signal() }

    /// Blocks until `fill` or `cancel`; nil after a cancel.
    func wait() -> Value? {
        ready.wait()
        return value.withLock { $0 }
    }
}
