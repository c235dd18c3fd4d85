/// Answers one request. Runs on the connection's own thread and must return quickly (a snapshot of
/// state under a lock, then rendering): it holds one of `HTTPLimits.connectionsMax` slots while it
/// runs, and `HTTPServer.stop()` waits for it. A thrown error becomes a 500.
public typealias HTTPHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// Maps paths to handlers: exact paths first, then the longest registered prefix.
public struct HTTPRouter: Sendable {
    private var exact: [String: HTTPHandler] = [:]
    private var prefixes: [(prefix: String, handler: HTTPHandler)] = []

    /// An empty router: every path is 404.
    public init() {}

    /// Serves GET and HEAD of exactly `path` (percent-decoded, e.g. "/metrics") with `handler`.
    public mutating func handle(_ path: String, _ handler: @escaping HTTPHandler) {
        precondition(path.hasPrefix("/"), "a route starts with '/'")
        precondition(exact[path] == nil, "route \(path) is registered twice")
        exact[path] = handler
    }

    /// Serves every path that starts with `prefix` (e.g. "/api/jobs/"); the handler finds the rest
    /// of the path in `HTTPRequest.pathRemainder`.
    public mutating func handlePrefix(_ prefix: String, _ handler: @escaping HTTPHandler) {
        precondition(prefix.hasPrefix("/"), "a route starts with '/'")
        precondition(!prefixes.contains { $0.prefix == prefix }, "prefix \(prefix) is registered twice")
        prefixes.append((prefix, handler))
        prefixes.sort { $0.prefix.utf8.count > $1.prefix.utf8.count }
    }

    /// What the server sends for `request`: the handler's response, 405 for methods other than GET
    /// and HEAD, 404 for unknown paths, 500 if the handler throws or sets a header it may not.
    /// HEAD gets GET's response; the server leaves the body out.
    public func response(to request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = HTTPResponse.text("method \(request.method) is not allowed\n", status: .methodNotAllowed)
            response.headers = [("Allow", "GET, HEAD")]
            return response
        }
        guard let (handler, routed) = match(request) else {
            return .text("no such path: \(request.path)\n", status: .notFound)
        }
        do {
            let response = try handler(routed)
            guard response.isWellFormed else {
                return .text("the handler produced an invalid header\n", status: .internalServerError)
            }
            return response
        } catch {
            return .text("handler failed: \(error)\n", status: .internalServerError)
        }
    }

    /// The handler for `request`'s path and the request with `pathRemainder` filled in, or nil.
    func match(_ request: HTTPRequest) -> (HTTPHandler, HTTPRequest)? {
        if let handler = exact[request.path] { return (handler, request) }
        // Bytes, not Characters: a combining mark after the prefix's last "/" must not hide the match.
        for route in prefixes where request.path.utf8.starts(with: route.prefix.utf8) {
            var routed = request
            routed.pathRemainder = String(decoding: request.path.utf8.dropFirst(route.prefix.utf8.count), as: UTF8.self)
            return (route.handler, routed)
        }
        return nil
    }
}
