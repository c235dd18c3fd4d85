import Foundation

/// Runs blocking work (file I/O with fsync, broker round trips, compiling) on a thread of its own
/// and suspends the caller until it is done, so RPC handlers never block Swift's shared pool.
func offPool<Value: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> Value)
    async throws(Failure) -> Value
{
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, Failure>, Never>) in
        let thread = Thread { continuation.resume(returning: Result(catching: body)) }
        thread.name = "spate-driver-io"
        thread.start()
    }
    return try result.get()
}
