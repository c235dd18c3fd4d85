/// Limits and timeouts of one RPC endpoint.
public struct RPCOptions: Sendable {
    /// The largest frame (header + body) sent or accepted; larger is refused and the connection closed.
    public var frameBytesMax: Int = 64 << 20
    /// Deadline of a call that names none.
    public var callTimeoutMs: Int = 30_000
    /// How long connecting and the handshake may take.
    public var connectTimeoutMs: Int = 5_000
    /// Calls waiting for a response on one connection before new ones are refused.
    public var inFlightCallsMax: Int = 65_536
    /// How long a clean close waits for the peer's goodbye before cutting the connection.
    public var closeTimeoutMs: Int = 5_000
    /// Handlers running at once for one connection; past it the reader stops taking requests.
    public var handlersInFlightMax: Int = 4_096
    /// Response bytes queued for one connection; past it the reader stops taking requests, so a
    /// peer that sends but never reads is slowed by TCP instead of growing our memory.
    public var queuedBytesMax: Int = 128 << 20
    /// A name for this endpoint, sent in the handshake and shown in the peer's logs.
    public var name: String = "spate"

    /// Defaults: 64 MiB frames, 30 s calls, 5 s connect and close.
    public init() {}
}
