/// Why a request's bytes are not a request this server accepts; each maps to the status it gets.
/// The connection is always closed after one of these, since the stream's framing is in doubt.
public enum HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The request line is longer than `HTTPLimits.requestLineBytesMax` (414).
    case requestLineTooLong(bytes: Int)
    /// One header line is longer than `HTTPLimits.headerLineBytesMax` (431).
    case headerLineTooLong(bytes: Int)
    /// More header fields than `HTTPLimits.headerCountMax` (431).
    case tooManyHeaders(count: Int)
    /// The head is larger than `HTTPLimits.headBytesMax` (431).
    case headTooLarge(bytes: Int)
    /// The request line is not `METHOD SP target SP HTTP/x.y` (400).
    case malformedRequestLine(String)
    /// An HTTP version other than 1.0 and 1.1 (505).
    case unsupportedVersion(String)
    /// The request target is not an origin-form path (or absolute URI) with a valid query (400).
    case invalidTarget(String)
    /// A header line is not `name: value` with a token name and a printable value (400).
    case malformedHeader(String)
    /// An HTTP/1.1 request without exactly one Host header (400).
    case invalidHost(String)
    /// A `Content-Length` that is not one decimal number (400).
    case invalidContentLength(String)
    /// A body larger than `HTTPLimits.bodyBytesMax` (413).
    case bodyTooLarge(bytes: Int)
    /// A chunked request body, which this server does not read (411: send a Content-Length).
    case chunkedBody
    /// A transfer coding other than chunked (501).
    case unsupportedTransferEncoding(String)
    /// Framing a proxy could read differently, e.g. both Transfer-Encoding and Content-Length (400).
    case ambiguousFraming(String)

    /// The status the client gets for this error.
    public var status: HTTPStatus {
        switch self {
        case .requestLineTooLong: return .uriTooLong
        case .headerLineTooLong, .tooManyHeaders, .headTooLarge: return .headerFieldsTooLarge
        case .unsupportedVersion: return .versionNotSupported
        case .bodyTooLarge: return .contentTooLarge
        case .chunkedBody: return .lengthRequired
        case .unsupportedTransferEncoding: return .notImplemented
        case .malformedRequestLine, .invalidTarget, .malformedHeader, .invalidHost, .invalidContentLength,
            .ambiguousFraming:
            return .badRequest
        }
    }

    public var description: String {
        switch self {
        case .requestLineTooLong(let bytes): return "request line of \(bytes)+ bytes is too long"
        case .headerLineTooLong(let bytes): return "header line of \(bytes)+ bytes is too long"
        case .tooManyHeaders(let count): return "\(count) header fields are too many"
        case .headTooLarge(let bytes): return "request head of \(bytes)+ bytes is too large"
        case .malformedRequestLine(let why): return "malformed request line: \(why)"
        case .unsupportedVersion(let version): return "HTTP version \(version) is not supported"
        case .invalidTarget(let why): return "invalid request target: \(why)"
        case .malformedHeader(let why): return "malformed header: \(why)"
        case .invalidHost(let why): return "invalid Host: \(why)"
        case .invalidContentLength(let value): return "invalid Content-Length '\(value)'"
        case .bodyTooLarge(let bytes): return "request body of \(bytes) bytes is too large"
        case .chunkedBody: return "chunked request bodies are not accepted; send Content-Length"
        case .unsupportedTransferEncoding(let coding): return "transfer coding '\(coding)' is not supported"
        case .ambiguousFraming(let why): return "ambiguous message framing: \(why)"
        }
    }
}
