import Dispatch
import Synchronization

/// Lets a task thread (a dedicated slot thread, never Swift's cooperative pool) wait for async
/// work such as an RPC call: the work runs as a Swift task that only suspends, while the calling
/// thread blocks on a semaphore. Called from the pool it could starve the very task it waits for.
enum BlockingWait {
    /// Runs `body` and blocks the calling thread until it finishes.
    static func run<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value {
        let outcome = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let result: Result<Value, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        guard let result = outcome.withLock({ $0 }) else {
            preconditionFailure("the semaphore was signalled before the outcome was stored")
        }
        return try result.get()
    }
}
