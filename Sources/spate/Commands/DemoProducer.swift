import Broker
import Foundation
import Synchronization

/// The demo's click stream: `spate gen clicks`'s loop on a thread of its own, into the demo's
/// broker, until the demo's stop flag is set.
final class DemoProducer: Sendable {
    /// What the producing thread shares with the demo's loop.
    private final class State: Sendable {
        /// The generator's last progress line ("sent N clicks (R events/s), M malformed").
        let latest = Mutex<String?>(nil)
        /// Set once the loop ends, however it ends.
        let outcome = Mutex<Result<ClickStreamSummary, ClickStreamError>?>(nil)
    }

    private let state = State()
    private let done: Task<Void, Never>

    /// Creates the topic (so the job finds it at submission) and starts producing; `log` hears
    /// each progress line as it comes.
    static func start(
        broker: String, options: ClickStreamOptions, stop: StopFlag, log: @escaping @Sendable (String) -> Void
    ) async throws -> DemoProducer {
        let client = try KafkaClient(bootstrap: broker, clientId: "spate-demo")
        do {
            _ = try await onThread { () throws(ClickStreamError) in
                try ClickStream.prepareTopic(options, client: client) { _ in }
            }
        } catch {
            client.close()
            throw error
        }
        return DemoProducer(client: client, options: options, stop: stop, log: log)
    }

    private init(
        client: KafkaClient, options: ClickStreamOptions, stop: StopFlag, log: @escaping @Sendable (String) -> Void
    ) {
        let state = state
        done = Task {
            let result = await onThread { () -> Result<ClickStreamSummary, ClickStreamError> in
                defer { client.close() }
                return Result { () throws(ClickStreamError) in
                    try ClickStream.produce(options, client: client, stop: stop) { line in
                        guard line.hasPrefix("sent ") else { return }
                        state.latest.withLock { $0 = line }
                        log(line)
                    }
                }
            }
            state.outcome.withLock { $0 = result }
        }
    }

    /// The last progress line, nil before the first.
    var progressLine: String? { state.latest.withLock { $0 } }

    /// How the loop ended, nil while it runs.
    var finished: Result<ClickStreamSummary, ClickStreamError>? { state.outcome.withLock { $0 } }

    /// Waits for the loop to end (the caller sets the stop flag first) and returns how it ended.
    func wait() async -> Result<ClickStreamSummary, ClickStreamError> {
        await done.value
        return finished ?? .failure(.kafka(.closed("the click stream ended without a result")))
    }
}
