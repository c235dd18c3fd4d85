import Testing

@testable import Wire

/// A server on a free loopback port with an echo handler (kind 1) plus whatever the test adds.
struct RPCTestServer {
    static let echo: UInt16 = 1
    let server: RPCServer
    let address: SocketAddress

    init(options: RPCOptions = RPCOptions(), configure: (RPCHandlers) -> Void = { _ in }) throws {
        server = RPCServer(options: options)
        server.handlers.register(Self.echo) { _, body in body }
        configure(server.handlers)
        address = try server.start(on: SocketAddress(parsing: "127.0.0.1:0"))
    }
}

/// Polls `condition` until it holds or `timeoutMs` passes; returns whether it held.
func eventually(timeoutMs: Int = 5_000, _ condition: () -> Bool) async -> Bool {
    let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMs)
    while MonotonicClock.milliseconds() < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 1_000_000)
    }
    return condition()
}
