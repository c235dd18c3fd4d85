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
