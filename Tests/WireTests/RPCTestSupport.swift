import Synchronization
import Testing

@testable import Wire

/// How long a test waits for something that should happen soon. Only a failing test waits this long:
/// the live tests share two pool threads (and two cores) with ~300 others, and a task that is ready
/// has been measured waiting 13 s for a thread, so a short wait fails a correct test. No test asserts
/// an upper bound on elapsed time either, for the same reason.
let safetyNetMs = 60_000

extension RPCOptions {
    /// Defaults, with every library timeout the tests rely on raised to the safety net: a clean close
    /// or a call must not be cut off because the pool ran other tests for a few seconds.
    static var patient: RPCOptions {
        var options = RPCOptions()
        options.callTimeoutMs = safetyNetMs
        options.connectTimeoutMs = safetyNetMs
        options.closeTimeoutMs = safetyNetMs
        return options
    }
}

/// A server on a free loopback port with an echo handler (kind 1) plus whatever the test adds.
struct RPCTestServer {
    static let echo: UInt16 = 1
    let server: RPCServer
    let address: SocketAddress

    init(options: RPCOptions = .patient, configure: (RPCHandlers) -> Void = { _ in }) throws {
        server = RPCServer(options: options)
        server.handlers.register(Self.echo) { _, body in body }
        configure(server.handlers)
        address = try server.start(on: SocketAddress(parsing: "127.0.0.1:0"))
    }

    /// A client connected to this server with patient options.
    func connect(options: RPCOptions = .patient, handlers: RPCHandlers = RPCHandlers()) async throws(RPCError)
        -> RPCConnection
    {
        try await RPCClient.connect(to: address, options: options, handlers: handlers)
    }
}

/// Polls `condition` until it holds or `timeoutMs` passes; returns whether it held.
func eventually(timeoutMs: Int = safetyNetMs, _ condition: () -> Bool) async -> Bool {
    let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMs)
    while MonotonicClock.milliseconds() < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 1_000_000)
    }
    return condition()
}

/// Holds handlers until the test opens it, so a call stays in flight exactly as long as the test
/// needs instead of for a guessed number of milliseconds.
final class Gate: Sendable {
    private let isOpen = Atomic<Bool>(false)

    func open() { isOpen.store(true, ordering: .releasing) }

    /// Suspends until the gate opens; after the safety net it gives up and returns false.
    @discardableResult
    func passed() async -> Bool { await eventually { isOpen.load(ordering: .acquiring) } }
}
