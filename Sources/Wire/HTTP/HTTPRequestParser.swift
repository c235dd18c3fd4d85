/// What the front of a byte buffer holds.
public enum HTTPParseResult: Sendable, Equatable {
    /// Not a whole request yet; parse again once more bytes have arrived.
    case needMoreData
    /// A whole request (head and any body) that took the first `consumedBytes` bytes.
    case request(HTTPRequest, consumedBytes: Int)
}

/// Parses HTTP/1.x requests from bytes. A pure function: it keeps no state between calls, so the
/// caller hands it everything buffered since the last request and it re-reads from the start.
/// Limits are checked as bytes arrive, so an endless line is refused long before its end.
public enum HTTPRequestParser {
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// Parses the request at the start of `bytes`, or says more data is needed, or throws why not.
    public static func parse(_ bytes: ArraySlice<UInt8>, limits: HTTPLimits) throws(HTTPParseError)
        -> HTTPParseResult
    {
        guard let head = try scanHead(bytes, limits) else { return .needMoreData }
        let (method, target, version) = try requestLine(bytes[head.requestLine])
        var fields: [HTTPHeaderField] = []
        fields.reserveCapacity(head.headerLines.count)
        for line in head.headerLines { fields.append(try headerField(bytes[line])) }
        let headers = HTTPHeaders(fields)
        let bodyBytes = try HTTPMessageFraming.bodyLength(headers, version: version, limits: limits)
        try HTTPMessageFraming.checkHost(headers, version: version)
        let (path, query) = try HTTPRequestTarget.decode(target)
        let consumedBytes = head.end - bytes.startIndex + bodyBytes
        guard bytes.count >= consumedBytes else { return .needMoreData }
        let request = HTTPRequest(
            method: method, target: target, path: path, query: query, version: version, headers: headers,
            bodyBytes: bodyBytes)
        return .request(request, consumedBytes: consumedBytes)
    }

    /// Where the lines of a complete head lie (without their line endings), and where it ends.
    struct HeadLayout {
        var requestLine: Range<Int>
        var headerLines: [Range<Int>]
        var end: Int
    }

    /// Finds the head's lines, or nil if its blank line has not arrived; throws on a broken limit.
    /// Lines end in CRLF or a bare LF (RFC 9112 lets a server accept both); blank lines before the
    /// request line are skipped, as a client may send one after a body.
    static func scanHead(_ bytes: ArraySlice<UInt8>, _ limits: HTTPLimits) throws(HTTPParseError) -> HeadLayout? {
        var position = bytes.startIndex
        var requestLine: Range<Int>?
        var headerLines: [Range<Int>] = []
        while true {
            guard let newline = bytes[position...].firstIndex(of: lineFeed) else {
                try checkPartialLine(bytes[position...], isRequestLine: requestLine == nil, limits)
                if bytes.count > limits.headBytesMax { throw .headTooLarge(bytes: bytes.count) }
                return nil
            }
            let contentEnd = newline > position && bytes[newline - 1] == carriageReturn ? newline - 1 : newline
            let line = position..<contentEnd
            position = newline + 1
            if requestLine == nil {
                if line.count > limits.requestLineBytesMax { throw .requestLineTooLong(bytes: line.count) }
            } else if line.count > limits.headerLineBytesMax {
                throw .headerLineTooLong(bytes: line.count)
            }
            let headBytes = position - bytes.startIndex
            if headBytes > limits.headBytesMax { throw .headTooLarge(bytes: headBytes) }
            guard let requestLine else {
                if !line.isEmpty { requestLine = line }
                continue
            }
            if line.isEmpty { return HeadLayout(requestLine: requestLine, headerLines: headerLines, end: position) }
            if headerLines.count == limits.headerCountMax { throw .tooManyHeaders(count: headerLines.count + 1) }
            headerLines.append(line)
        }
    }

    private static func checkPartialLine(_ partial: ArraySlice<UInt8>, isRequestLine: Bool, _ limits: HTTPLimits)
        throws(HTTPParseError)
    {
        let length = partial.count - (partial.last == carriageReturn ? 1 : 0)
        if isRequestLine, length > limits.requestLineBytesMax { throw .requestLineTooLong(bytes: length) }
        if !isRequestLine, length > limits.headerLineBytesMax { throw .headerLineTooLong(bytes: length) }
    }

    /// Splits `METHOD SP target SP HTTP/x.y`, with exactly one space between parts.
    static func requestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String, HTTPRequest.Version) {
        let parts = line.split(separator: space, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .malformedRequestLine("expected METHOD SP target SP version")
        }
        guard parts[0].allSatisfy(isTokenByte) else { throw .malformedRequestLine("method is not a token") }
        guard parts[1].allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .malformedRequestLine("target holds a byte that is not visible ASCII")
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        return (method, target, try version(parts[2]))
    }

    private static func version(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPRequest.Version {
        let text = String(decoding: bytes, as: UTF8.self)
        if text == "HTTP/1.1" { return .http11 }
        if text == "HTTP/1.0" { return .http10 }
        let digit: (UInt8) -> Bool = { (0x30...0x39).contains($0) }
        let shape = Array(bytes)
        if shape.count == 8, text.hasPrefix("HTTP/"), digit(shape[5]), shape[6] == UInt8(ascii: "."), digit(shape[7]) {
            throw .unsupportedVersion(text)
        }
        throw .malformedRequestLine("version is not HTTP/x.y")
    }

    /// One `name: value` line; a line starting with a blank is obsolete folding and refused.
    static func headerField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPHeaderField {
        guard let first = line.first, first != space, first != tab else {
            throw .malformedHeader("obsolete line folding")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .malformedHeader("no colon") }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            throw .malformedHeader("field name is not a token")
        }
        var value = line[(colon + 1)...]
        guard value.allSatisfy({ $0 == tab || ($0 >= 0x20 && $0 != 0x7F) }) else {
            throw .malformedHeader("field value holds a control character")
        }
        while let byte = value.first, byte == space || byte == tab { value.removeFirst() }
        while let byte = value.last, byte == space || byte == tab { value.removeLast() }
        return HTTPHeaderField(
            name: String(decoding: name, as: UTF8.self).lowercased(), value: String(decoding: value, as: UTF8.self))
    }

    /// RFC 9110 tchar: the bytes a method or field name may hold.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
