/// The bounds an `HTTPServer` holds every client to; each byte from the network counts against one.
public struct HTTPLimits: Sendable {
    /// Longest request line (method, target, version) before the request gets 414.
    public var requestLineBytesMax: Int = 8 << 10
    /// Longest single header line before the request gets 431.
    public var headerLineBytesMax: Int = 8 << 10
    /// Most header fields in one request before it gets 431.
    public var headerCountMax: Int = 64
    /// Largest request head (request line, headers and blank line) before the request gets 431.
    public var headBytesMax: Int = 16 << 10
    /// Largest `Content-Length` body that is read and ignored; larger gets 413.
    public var bodyBytesMax: Int = 16 << 10
    /// Connections served at once; one more gets 503 and is closed.
    public var connectionsMax: Int = 32
    /// Time a client has to deliver one whole request, counted from when the server starts waiting
    /// for it (so an idle keep-alive connection and a slow trickle are both cut off).
    public var requestTimeoutMs: Int = 10_000
    /// Time a response may take to leave; a client that stops reading is cut off after it.
    public var writeTimeoutMs: Int = 10_000
    /// How long a connection closed after an error keeps reading and discarding, so the client sees
    /// the error response instead of a reset.
    public var closeLingerMs: Int = 1_000
    /// The most bytes a closing connection reads and discards while it lingers.
    public var closeLingerBytesMax: Int = 1 << 20
    /// Requests served on one connection before the server closes it.
    public var requestsPerConnectionMax: Int = 10_000

    /// The defaults: 8 KiB lines, 64 headers, 16 KiB head and body, 32 connections, 10 s timeouts.
    public init() {}
}
