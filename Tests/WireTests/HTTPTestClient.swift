import Foundation
import Testing

@testable import Wire

/// A response as the tests parse it, with their own code rather than the server's.
struct HTTPTestResponse {
    var status: Int
    var reason: String
    /// Header fields with lowercased names, in order.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// What a test client saw next on its connection.
enum HTTPTestEvent: CustomStringConvertible {
    case response(HTTPTestResponse)
    /// End of stream (or a reset) before any byte of a response.
    case closed
    case timedOut
    case garbled(String)

    var description: String {
        switch self {
        case .response(let response): return "\(response.status) \(response.reason) \(response.text.prefix(80))"
        case .closed: return "end of stream"
        case .timedOut: return "nothing before the deadline"
        case .garbled(let why): return "garbled response: \(why)"
        }
    }

    var response: HTTPTestResponse? {
        if case .response(let response) = self { return response }
        return nil
    }
}

/// A blocking HTTP client on a raw socket that writes any bytes at all. Use it from its own thread
/// (`onThread`), never from the cooperative pool; one thread at a time, hence unchecked Sendable.
final class HTTPTestClient: @unchecked Sendable {
    let socket: Socket
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 64 << 10)

    init(_ address: SocketAddress) throws {
        socket = try Socket.connect(to: address, timeoutMs: 30_000)
    }

    deinit { socket.close() }

    /// Writes `text` as it is.
    func send(_ text: String) throws { try socket.writeAll(Array(text.utf8)) }

    /// Writes `bytes` as they are.
    func send(_ bytes: [UInt8]) throws { try socket.writeAll(bytes) }

    /// Writes a GET (or `method`) of `path` with a Host header and `extra` header lines.
    func request(_ path: String, method: String = "GET", extra: String = "") throws {
        try send("\(method) \(path) HTTP/1.1\r\nHost: test\r\n\(extra)\r\n")
    }

    /// The next response; `head` says it answers a HEAD (so it has no body whatever its length says).
    func next(head: Bool = false, timeoutMs: Int = 30_000) -> HTTPTestEvent {
        let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMs)
        while true {
            switch parseBuffered(head: head) {
            case .some(.failure(let why)): return .garbled(why.description)
            case .some(.success(let response)): return .response(response)
            case .none: break
            }
            switch fill(deadline: deadline) {
            case .some(true): continue
            case .some(false): return buffer.isEmpty ? .closed : .garbled("stream ended inside a response")
            case .none: return .timedOut
            }
        }
    }

    /// True once the server has closed the connection (bytes still arriving are discarded).
    func waitForClose(timeoutMs: Int = 30_000) -> Bool {
        let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMs)
        while true {
            buffer.removeAll()
            switch fill(deadline: deadline) {
            case .some(true): continue
            case .some(false): return true
            case .none: return false
            }
        }
    }

    /// Reads once: true if bytes came, false at end of stream or reset, nil at the deadline.
    private func fill(deadline: UInt64) -> Bool? {
        let remaining = Int(deadline) - Int(MonotonicClock.milliseconds())
        guard remaining > 0, (try? socket.poll(events: Int16(POLLIN), timeoutMs: remaining)) == true else {
            return nil
        }
        let count = scratch.withUnsafeMutableBytes { raw -> Int in
            guard case .processed(let count) = try? socket.read(into: raw) else { return 0 }
            return count
        }
        if count == 0 { return false }
        buffer.append(contentsOf: scratch[0..<count])
        return true
    }

    private func parseBuffered(head: Bool) -> Result<HTTPTestResponse, HTTPTestFailure>? {
        let blank = Array("\r\n\r\n".utf8)
        guard let end = (0..<max(0, buffer.count - 3)).first(where: { Array(buffer[$0..<$0 + 4]) == blank }) else {
            return nil
        }
        let lines = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2).map(String.init)
        guard statusParts.count == 3, statusParts[0] == "HTTP/1.1", let status = Int(statusParts[1]) else {
            return .failure(HTTPTestFailure("bad status line '\(lines[0])'"))
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return .failure(HTTPTestFailure("bad header '\(line)'")) }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((line[..<colon].lowercased(), value))
        }
        let lengths = headers.filter { $0.name == "content-length" }
        guard lengths.count == 1, let length = Int(lengths[0].value) else {
            return .failure(HTTPTestFailure("expected one Content-Length, got \(lengths)"))
        }
        let bodyLength = head ? 0 : length
        guard buffer.count >= end + 4 + bodyLength else { return nil }
        let body = Array(buffer[(end + 4)..<(end + 4 + bodyLength)])
        buffer.removeFirst(end + 4 + bodyLength)
        return .success(HTTPTestResponse(status: status, reason: statusParts[2], headers: headers, body: body))
    }
}

/// A test failure with a readable reason.
struct HTTPTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A server on a free loopback port serving `router`, stopped by `stop()`.
/// Limits for live tests: the defaults, except that idle and slow connections are not cut off
/// while a loaded machine keeps the test's own task waiting for a thread.
func patientHTTPLimits() -> HTTPLimits {
    var limits = HTTPLimits()
    limits.requestTimeoutMs = safetyNetMs
    limits.writeTimeoutMs = safetyNetMs
    return limits
}

func startHTTPTestServer(_ router: HTTPRouter, limits: HTTPLimits = patientHTTPLimits()) throws -> HTTPServer {
    try HTTPServer(listeningOn: SocketAddress(parsing: "127.0.0.1:0"), router: router, limits: limits)
}

/// Routes the server tests share: "/hello", "/echo" (the path and query back), and "/items/" + id.
func httpTestRouter() -> HTTPRouter {
    var router = HTTPRouter()
    router.handle("/hello") { _ in .text("hello\n") }
    router.handle("/echo") { request in
        let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
        return .text("\(request.method) \(request.path) \(query)")
    }
    router.handlePrefix("/items/") { request in .text("item [\(request.pathRemainder)]") }
    return router
}
