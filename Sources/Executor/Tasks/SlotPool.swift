import Dispatch
import Foundation
import Synchronization

/// The executor's task slots: `count` dedicated threads that take work from one queue in order.
/// Tasks never run on Swift's cooperative pool, so a long decode or a blocking fetch cannot
/// starve the RPC handlers that keep the executor talking to the driver.
final class SlotPool: Sendable {
    private struct State {
        var queue: [@Sendable () -> Void] = []
        var head = 0
        var busy = 0
        var closed = false
        var threadsLeft: Int
    }

    private let state: Mutex<State>
    private let wakeup = DispatchSemaphore(value: 0)
    private let queuedMax: Int
    let count: Int

    /// Starts `count` threads named `name-N`; at most `queuedMax` jobs wait behind busy threads.
    init(count: Int, queuedMax: Int, name: String) {
        precondition(count >= 1, "a slot pool needs at least one thread")
        self.count = count
        self.queuedMax = queuedMax
        state = Mutex(State(threadsLeft: count))
        for index in 0..<count {
            let thread = Thread { [self] in self.serve() }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Queues `job`; false when the pool is closed or its queue is full.
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let accepted = state.withLock { state -> Bool in
            let pending = state.queue.count - state.head + state.busy
            guard !state.closed, pending < queuedMax + count else { return false }
            state.queue.append(job)
            return true
        }
        if accepted { wakeup.signal() }
        return accepted
    }

    /// Jobs queued or running.
    var pending: Int { state.withLock { $0.queue.count - $0.head + $0.busy } }

    /// Takes no more jobs; threads finish what is queued, then exit.
    func close() {
        let threads = state.withLock { state -> Int in
            if state.closed { return 0 }
            state.closed = true
            return state.threadsLeft
        }
        for _ in 0..<threads { wakeup.signal() }
    }

    private func serve() {
        while true {
            wakeup.wait()
            let job = state.withLock { state -> (@Sendable () -> Void)? in
                guard state.head < state.queue.count else {
                    if state.closed { state.threadsLeft -= 1 }
                    return nil
                }
                let job = state.queue[state.head]
                state.head += 1
                state.busy += 1
                if state.head == state.queue.count {
                    state.queue.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                return job
            }
            guard let job else {
                if state.withLock({ $0.closed }) { return }
                continue
            }
            job()
            state.withLock { $0.busy -= 1 }
        }
    }
}
