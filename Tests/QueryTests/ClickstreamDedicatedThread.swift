import Dispatch
import Foundation
import Synchronization
import Testing

// A copy of BrokerTests/DedicatedThread.swift (test targets cannot share code).
// Swift Testing runs every test of every target in one process on a cooperative pool of one thread
// per core (two here). A synchronous test that computes or fsyncs for seconds holds one of those
// threads the whole time, and every async test (the live RPC ones in WireTests too) waits behind it.
// CPU-heavy or blocking test work therefore runs on a thread of its own, which the kernel
// time-slices fairly against the pool. WireTests holds the same helper; test targets cannot share code.

/// A task executor that runs its jobs, in order, on one thread of its own (started on the first job).
final class DedicatedThreadExecutor: TaskExecutor {
    private struct State {
        var jobs: [UnownedJob] = []
        var threadRunning = false
        var finished = false
    }

    private let name: String
    private let state = Mutex(State())
    private let wakeup = DispatchSemaphore(value: 0)

    init(name: String) { self.name = name }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let start = state.withLock { state -> Bool in
            state.jobs.append(job)
            if state.threadRunning { return false }
            state.threadRunning = true
            return true
        }
        if start {
            let thread = Thread { [self] in self.runJobs() }
            thread.name = name
            thread.start()
        } else {
            wakeup.signal()
        }
    }

    /// Lets the thread end once its queue is empty (a later job starts a new one).
    func finish() {
        state.withLock { $0.finished = true }
        wakeup.signal()
    }

    private func runJobs() {
        while true {
            let (job, keepRunning) = state.withLock { state -> (UnownedJob?, Bool) in
                if !state.jobs.isEmpty { return (state.jobs.removeFirst(), true) }
                if state.finished { state.threadRunning = false }
                return (nil, state.threadRunning)
            }
            if let job {
                job.runSynchronously(on: asUnownedTaskExecutor())
            } else if keepRunning {
                wakeup.wait()
            } else {
                return
            }
        }
    }
}

/// Runs `body` on a dedicated thread instead of the cooperative pool; `#expect` works inside, since
/// it is still the calling task.
func onDedicatedThread<T: Sendable>(_ name: String, _ body: () async throws -> T) async throws -> T {
    let executor = DedicatedThreadExecutor(name: name)
    defer { executor.finish() }
    return try await withTaskExecutorPreference(executor) { try await body() }
}

/// Runs each case of the tests it marks (or of every test in a suite it marks) on a dedicated thread.
struct DedicatedThreadTrait: TestTrait, SuiteTrait, TestScoping {
    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? { testCase == nil ? nil : self }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await onDedicatedThread("test \(test.name)") { try await function() }
    }
}

extension Trait where Self == DedicatedThreadTrait {
    /// Keeps a CPU-heavy or blocking test off the cooperative pool, so it cannot starve the others.
    static var dedicatedThread: Self { Self() }
}
