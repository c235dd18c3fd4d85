import Foundation

extension KafkaClient {
    /// Runs blocking client work on a thread of its own and awaits it, for callers on Swift's
    /// cooperative pool (whose few threads must never block on the network).
    public static func offPool<Value: Sendable>(_ body: @escaping @Sendable () throws(KafkaClientError) -> Value)
        async throws(KafkaClientError) -> Value
    {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Value, KafkaClientError>, Never>) in
            let thread = Thread { continuation.resume(returning: Result(catching: body)) }
            thread.name = "spate-kafka-blocking"
            thread.start()
        }
        return try result.get()
    }
}
