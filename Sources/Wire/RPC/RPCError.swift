/// Error codes carried in error frames; stable on the wire.
public struct RPCErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The frame could not be decoded (bad header, bad checksum).
    public static let badFrame = RPCErrorCode(rawValue: 1)
    /// No handler is registered for the message kind.
    public static let unknownMessageKind = RPCErrorCode(rawValue: 2)
    /// The handler threw.
    public static let handlerFailed = RPCErrorCode(rawValue: 3)
    /// The frame exceeded the receiver's limit.
    public static let frameTooLarge = RPCErrorCode(rawValue: 4)
    /// No common protocol version.
    public static let unsupportedVersion = RPCErrorCode(rawValue: 5)
    /// The receiver is closing and takes no new requests.
    public static let shuttingDown = RPCErrorCode(rawValue: 6)
    /// The request body was not what the handler expects.
    public static let badRequest = RPCErrorCode(rawValue: 7)
    /// Authentication failed or was missing.
    public static let unauthorized = RPCErrorCode(rawValue: 8)
    /// A protocol rule was broken (e.g. a request before the handshake).
    public static let protocolViolation = RPCErrorCode(rawValue: 9)

    public var description: String {
        switch self {
        case .badFrame: return "bad frame"
        case .unknownMessageKind: return "unknown message kind"
        case .handlerFailed: return "handler failed"
        case .frameTooLarge: return "frame too large"
        case .unsupportedVersion: return "unsupported version"
        case .shuttingDown: return "shutting down"
        case .badRequest: return "bad request"
        case .unauthorized: return "unauthorized"
        case .protocolViolation: return "protocol violation"
        default: return "error \(rawValue)"
        }
    }
}

/// Why a call or a connection failed.
public enum RPCError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The TCP connection could not be made.
    case connectFailed(String)
    /// The peer refused or botched the handshake.
    case handshakeFailed(String)
    /// No response arrived before the call's deadline.
    case deadlineExceeded(ms: Int)
    /// The connection ended (or was never open) before the response arrived.
    case connectionClosed(String)
    /// The peer answered with an error frame.
    case remote(RPCErrorCode, String)
    /// The body is larger than the connection allows.
    case frameTooLarge(bytes: Int, limit: Int)
    /// Too many calls are already waiting on this connection.
    case tooManyInFlight(limit: Int)

    public var description: String {
        switch self {
        case .connectFailed(let why): return "connect failed: \(why)"
        case .handshakeFailed(let why): return "handshake failed: \(why)"
        case .deadlineExceeded(let ms): return "no response within \(ms) ms"
        case .connectionClosed(let why): return "connection closed: \(why)"
        case .remote(let code, let message): return "peer answered \(code): \(message)"
        case .frameTooLarge(let bytes, let limit): return "frame of \(bytes) bytes exceeds the limit of \(limit)"
        case .tooManyInFlight(let limit): return "more than \(limit) calls in flight on one connection"
        }
    }
}

/// Throw this from a handler to answer with a specific error code.
public struct RPCHandlerError: Error, Sendable {
    /// The code sent to the caller.
    public let code: RPCErrorCode
    /// A message for the caller.
    public let message: String

    /// An error answer with `code` and `message`.
    public init(_ code: RPCErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Encoding of error frame bodies: code u16, then an int16-length UTF-8 message.
enum RPCErrorBody {
    static let messageBytesMax = 4096

    static func encode(_ code: RPCErrorCode, _ message: String) -> [UInt8] {
        var writer = ByteWriter(capacity: 8 + message.utf8.count)
        writer.writeInteger(code.rawValue)
        var text = message
        if text.utf8.count > messageBytesMax {
            text = String(decoding: text.utf8.prefix(messageBytesMax), as: UTF8.self)
        }
        writer.writeInt16String(text)
        return writer.bytes
    }

    static func decode(_ body: [UInt8]) -> (RPCErrorCode, String) {
        var reader = ByteReader(body)
        guard let code = try? reader.readUInt16() else { return (.badFrame, "malformed error frame") }
        let message = (try? reader.readInt16String()) ?? "(unreadable message)"
        return (RPCErrorCode(rawValue: code), message)
    }
}
