#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address and port, parsed from "host:port" or "[v6]:port".
public struct SocketAddress: Sendable, Equatable, CustomStringConvertible {
    /// Errors from parsing or resolving an address string.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case missingPort(String)
        case invalidPort(String)
        case unresolvable(String, reason: String)

        public var description: String {
            switch self {
            case .missingPort(let text): return "address '\(text)' has no port; expected HOST:PORT"
            case .invalidPort(let text): return "address '\(text)' has an invalid port; expected 0-65535"
            case .unresolvable(let host, let reason): return "cannot resolve host '\(host)': \(reason)"
            }
        }
    }

    /// The host as written (numeric after resolution).
    public let host: String
    /// The TCP port.
    public let port: UInt16
    /// True for an IPv6 address.
    public let isIPv6: Bool
    let storage: [UInt8]

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Parses "host:port", "[v6]:port" or ":port" (loopback) and resolves host names.
    public init(parsing text: String) throws(ParseError) {
        let (host, portText) = try Self.split(text)
        guard let port = UInt16(portText) else { throw .invalidPort(text) }
        try self.init(host: host.isEmpty ? "127.0.0.1" : host, port: port)
    }

    /// Resolves `host` (numeric or a name such as "localhost") with `port`.
    public init(host: String, port: UInt16) throws(ParseError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw .unresolvable(host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(result) }
        // Prefer IPv4 when a name resolves to both, as loopback services here bind IPv4 by default.
        var chosen = first
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if entry.pointee.ai_family == AF_INET {
                chosen = entry
                break
            }
            cursor = entry.pointee.ai_next
        }
        let raw = UnsafeRawBufferPointer(start: chosen.pointee.ai_addr, count: Int(chosen.pointee.ai_addrlen))
        self.init(storage: Array(raw), port: port)
    }

    init(storage: [UInt8], port: UInt16) {
        self.storage = storage
        self.port = port
        var family: sa_family_t = 0
        withUnsafeMutableBytes(of: &family) { $0.copyBytes(from: storage.prefix(MemoryLayout<sa_family_t>.size)) }
        self.isIPv6 = Int32(family) == AF_INET6
        self.host = Self.numericHost(storage)
    }

    /// Reads an address the kernel filled in (accept, getsockname).
    init(kernel raw: UnsafeRawBufferPointer) {
        var family: sa_family_t = 0
        withUnsafeMutableBytes(of: &family) { $0.copyBytes(from: raw.prefix(MemoryLayout<sa_family_t>.size)) }
        let isV6 = Int32(family) == AF_INET6
        let length = isV6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size
        let bytes = Array(raw.prefix(length))
        var port: UInt16 = 0
        bytes.withUnsafeBytes { buffer in
            port =
                isV6
                ? UInt16(bigEndian: buffer.loadUnaligned(as: sockaddr_in6.self).sin6_port)
                : UInt16(bigEndian: buffer.loadUnaligned(as: sockaddr_in.self).sin_port)
        }
        self.init(storage: bytes, port: port)
    }

    static func split(_ text: String) throws(ParseError) -> (String, Substring) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .missingPort(text) }
            let after = text[text.index(after: close)...]
            guard after.hasPrefix(":") else { throw .missingPort(text) }
            return (String(text[text.index(after: text.startIndex)..<close]), after.dropFirst())
        }
        guard let colon = text.lastIndex(of: ":") else { throw .missingPort(text) }
        return (String(text[..<colon]), text[text.index(after: colon)...])
    }

    static func numericHost(_ storage: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = storage.withUnsafeBytes { raw in
            getnameinfo(
                raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count), &buffer,
                socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
        }
        guard status == 0 else { return "?" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        storage.withUnsafeBytes { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
    }
}
