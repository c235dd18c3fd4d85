import Synchronization

/// What a handler learns about the call it serves.
public struct RPCRequestContext: Sendable {
    /// The connection the request came on; a handler may call back over it.
    public let connection: RPCConnection
    /// The message kind that selected this handler.
    public let messageKind: UInt16
}

/// The handlers of one endpoint, by message kind. Either side of a connection may serve requests.
public final class RPCHandlers: Sendable {
    /// A request handler: returns the response body or throws (`RPCHandlerError` picks the code).
    public typealias Request = @Sendable (RPCRequestContext, [UInt8]) async throws -> [UInt8]
    /// A one-way handler: nothing is sent back.
    public typealias OneWay = @Sendable (RPCRequestContext, [UInt8]) async -> Void

    enum Entry: Sendable {
        case request(Request)
        case oneWay(OneWay)
    }

    private let table = Mutex<[UInt16: Entry]>([:])

    /// An empty table.
    public init() {}

    /// Serves requests of `kind` with `handler`, replacing any earlier one.
    public func register(_ kind: UInt16, _ handler: @escaping Request) {
        table.withLock { $0[kind] = .request(handler) }
    }

    /// Serves one-way messages of `kind` with `handler`.
    public func registerOneWay(_ kind: UInt16, _ handler: @escaping OneWay) {
        table.withLock { $0[kind] = .oneWay(handler) }
    }

    func entry(_ kind: UInt16) -> Entry? { table.withLock { $0[kind] } }
}
