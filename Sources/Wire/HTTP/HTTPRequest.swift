/// A parsed HTTP request head (any body was read and discarded).
public struct HTTPRequest: Sendable, Equatable {
    /// The protocol version of the request line.
    public enum Version: Sendable, Equatable {
        case http10
        case http11
    }

    /// The method token as sent, e.g. "GET" (methods are case-sensitive).
    public let method: String
    /// The request target exactly as sent.
    public let target: String
    /// The path, percent-decoded, always starting with "/" (or "*" for an asterisk-form target).
    public let path: String
    /// The query string's items in order, `+` and percent escapes decoded.
    public let query: [HTTPQueryItem]
    /// The request line's version.
    public let version: Version
    /// The header fields.
    public let headers: HTTPHeaders
    /// The length of the body that followed the head (read and ignored).
    public let bodyBytes: Int
    /// The part of `path` after the prefix a prefix route matched; empty for exact routes.
    public internal(set) var pathRemainder: String = ""

    /// A GET of `target` (e.g. "/api/jobs/pv?limit=5"), parsed as if it came from a client: for
    /// calling `HTTPRouter.response(to:)` in tests without a socket.
    public init(get target: String) throws(HTTPParseError) {
        guard target.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .invalidTarget("'\(target)' holds a byte that is not visible ASCII")
        }
        let bytes = Array("GET \(target) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        guard case .request(let request, _) = try HTTPRequestParser.parse(bytes[...], limits: HTTPLimits()) else {
            throw .malformedRequestLine("target '\(target)' does not make a whole request")
        }
        self = request
    }

    init(
        method: String, target: String, path: String, query: [HTTPQueryItem], version: Version,
        headers: HTTPHeaders, bodyBytes: Int
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.bodyBytes = bodyBytes
    }

    /// True if the client wants the connection kept open after the response.
    public var keepAlive: Bool {
        let tokens = headers.tokens("connection")
        if tokens.contains("close") { return false }
        return version == .http11 || tokens.contains("keep-alive")
    }

    /// The value of the first query item called `name`.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }
}

/// One `name=value` pair of a query string.
public struct HTTPQueryItem: Sendable, Equatable {
    /// The decoded name.
    public let name: String
    /// The decoded value; empty when the item had no `=`.
    public let value: String

    /// An item `name=value`.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
