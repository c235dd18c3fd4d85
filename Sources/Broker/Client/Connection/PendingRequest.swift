import Dispatch
import Synchronization
import Wire

/// What a connection does with a response frame (or the failure that replaced it); runs on the
/// connection's reader thread, so it must be quick and must not wait on this connection.
typealias ResponseHandler = @Sendable (Result<[UInt8], KafkaClientError>) -> Void

/// A request written to the socket whose response has not arrived yet.
struct PendingRequest {
    let correlationId: Int32
    let apiKey: ApiKey
    let timeoutMs: Int
    let deadlineNs: UInt64
    let handler: ResponseHandler
}

/// Lets a thread block until a response handler runs.
final class ResponseWaiter: Sendable {
    private let outcome = Mutex<Result<[UInt8], KafkaClientError>?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    /// The handler to give the connection.
    var handler: ResponseHandler {
        { [self] result in
            outcome.withLock { $0 = result }
            ready.signal()
        }
    }

    /// Waits for the handler; nil if `timeoutMs` passed first.
    func wait(timeoutMs: Int) -> Result<[UInt8], KafkaClientError>? {
        guard ready.wait(timeout: .now() + .milliseconds(timeoutMs)) == .success else { return nil }
        return outcome.withLock { $0 }
    }
}
