/// What a handler answers: a status, a content type and the whole body.
public struct HTTPResponse: Sendable {
    /// The status line's status.
    public var status: HTTPStatus
    /// The `Content-Type` value, e.g. "application/json".
    public var contentType: String
    /// The whole body; the server adds `Content-Length` (and leaves the body out for HEAD).
    public var body: [UInt8]
    /// The `Cache-Control` value; `no-store` by default since everything served is live status.
    public var cacheControl: String?
    /// Further header fields; framing headers (Content-Length, Connection, Transfer-Encoding) are the server's.
    public var headers: [(name: String, value: String)]

    /// A response with `body` of `contentType`.
    public init(
        status: HTTPStatus = .ok, contentType: String, body: [UInt8], cacheControl: String? = "no-store",
        headers: [(name: String, value: String)] = []
    ) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.cacheControl = cacheControl
        self.headers = headers
    }

    /// A UTF-8 plain-text response.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }

    /// A JSON response (see `JSONWriter`).
    public static func json(_ body: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", body: body)
    }

    /// A UTF-8 HTML page.
    public static func html(_ page: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/html; charset=utf-8", body: Array(page.utf8))
    }

    /// True if every header this response would send is a token name with a printable value and
    /// none of them is one the server owns; a handler that fails this gets a 500 instead.
    var isWellFormed: Bool {
        let reserved: Set<String> = ["content-length", "connection", "transfer-encoding", "content-type", "date"]
        let printable: (String) -> Bool = { $0.utf8.allSatisfy { $0 == 0x09 || (0x20...0x7E).contains($0) } }
        guard printable(contentType), printable(cacheControl ?? "") else { return false }
        return headers.allSatisfy { field in
            !field.name.isEmpty && field.name.utf8.allSatisfy(HTTPRequestParser.isTokenByte)
                && !reserved.contains(field.name.lowercased()) && printable(field.value)
        }
    }

    /// The status line and header block, ending in the blank line.
    func encodedHead(keepAlive: Bool, version: HTTPRequest.Version) -> [UInt8] {
        var head = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.count)\r\n"
        head += "Date: \(HTTPDate.now())\r\n"
        if let cacheControl { head += "Cache-Control: \(cacheControl)\r\n" }
        head += "X-Content-Type-Options: nosniff\r\n"
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        if !keepAlive {
            head += "Connection: close\r\n"
        } else if version == .http10 {
            head += "Connection: keep-alive\r\n"
        }
        head += "\r\n"
        return Array(head.utf8)
    }
}
