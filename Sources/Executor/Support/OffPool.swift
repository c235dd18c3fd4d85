import Foundation

/// Runs blocking work (a TCP connect, a DNS lookup, closing clients) on a thread of its own, off
/// Swift's shared pool.
func offPool<Value: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> Value)
    async throws(Failure) -> Value
{
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, Failure>, Never>) in
        let thread = Thread { continuation.resume(returning: Result(catching: body)) }
        thread.name = "spate-executor-io"
        thread.start()
    }
    return try result.get()
}
