/// The header rules that decide where a request ends and whom it is for; mistakes here are how
/// requests get smuggled past proxies, so anything ambiguous is refused.
enum HTTPMessageFraming {
    /// The body's length from Content-Length (0 without one); Transfer-Encoding is refused.
    static func bodyLength(_ headers: HTTPHeaders, version: HTTPRequest.Version, limits: HTTPLimits)
        throws(HTTPParseError) -> Int
    {
        let lengths = headers.values("content-length")
        if !headers.values("transfer-encoding").isEmpty {
            if version == .http10 { throw .ambiguousFraming("Transfer-Encoding in an HTTP/1.0 request") }
            if !lengths.isEmpty { throw .ambiguousFraming("both Transfer-Encoding and Content-Length") }
            let codings = headers.tokens("transfer-encoding")
            if codings.last == "chunked" { throw .chunkedBody }
            throw .unsupportedTransferEncoding(codings.joined(separator: ", "))
        }
        var length: Int?
        for value in lengths {
            // A list of equal values ("5, 5") is allowed by RFC 9110; anything else is refused.
            for piece in value.split(separator: ",", omittingEmptySubsequences: false) {
                let digits = piece.trimmingBlanks()
                guard (1...18).contains(digits.utf8.count), digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                    let parsed = Int(digits), length == nil || length == parsed
                else { throw .invalidContentLength(value) }
                length = parsed
            }
        }
        let bodyBytes = length ?? 0
        if bodyBytes > limits.bodyBytesMax { throw .bodyTooLarge(bytes: bodyBytes) }
        return bodyBytes
    }

    /// An HTTP/1.1 request names its host exactly once (RFC 9112 section 3.2); HTTP/1.0 at most once.
    static func checkHost(_ headers: HTTPHeaders, version: HTTPRequest.Version) throws(HTTPParseError) {
        let hosts = headers.values("host")
        if hosts.count > 1 { throw .invalidHost("\(hosts.count) Host headers") }
        if version == .http11 && hosts.isEmpty { throw .invalidHost("an HTTP/1.1 request must send Host") }
    }
}
