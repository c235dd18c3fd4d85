#if canImport(Glibc)
    import Glibc
#endif

/// One client connection's whole life on its own thread: read, parse, answer, until the client
/// closes, breaks a rule or runs out of time. The socket is non-blocking and every wait is a poll
/// with a deadline, so no client can hold the thread longer than the limits say.
struct HTTPConnection {
    let socket: Socket
    let router: HTTPRouter
    let limits: HTTPLimits
    let isStopping: @Sendable () -> Bool
    let served: @Sendable () -> Void
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 16 << 10)

    init(
        socket: Socket, router: HTTPRouter, limits: HTTPLimits, isStopping: @escaping @Sendable () -> Bool,
        served: @escaping @Sendable () -> Void
    ) {
        self.socket = socket
        self.router = router
        self.limits = limits
        self.isStopping = isStopping
        self.served = served
    }

    enum ReadOutcome {
        case data
        case endOfStream
        case timedOut
    }

    /// Serves requests until the connection ends; the caller closes the socket afterwards.
    mutating func run() {
        guard (try? socket.setNonBlocking(true)) != nil else { return }
        var requestsServed = 0
        var deadlineMs = MonotonicClock.milliseconds() + UInt64(limits.requestTimeoutMs)
        while true {
            let parsed: HTTPParseResult
            do {
                parsed = try HTTPRequestParser.parse(buffer[...], limits: limits)
            } catch {
                refuse(.text(error.description + "\n", status: error.status))
                return
            }
            switch parsed {
            case .request(let request, let consumedBytes):
                buffer.removeFirst(consumedBytes)
                requestsServed += 1
                let keepAlive =
                    request.keepAlive && requestsServed < limits.requestsPerConnectionMax && !isStopping()
                let sent = send(router.response(to: request), to: request, keepAlive: keepAlive)
                served()
                guard sent, keepAlive else { return lingeringClose(sent: sent) }
                deadlineMs = MonotonicClock.milliseconds() + UInt64(limits.requestTimeoutMs)
            case .needMoreData:
                switch readMore(deadlineMs: deadlineMs) {
                case .data: continue
                case .endOfStream: return
                case .timedOut:
                    // An idle keep-alive connection just closes; a half-sent request is told why.
                    if !buffer.isEmpty { refuse(.text("request not received in time\n", status: .requestTimeout)) }
                    return
                }
            }
        }
    }

    /// Answers a request this connection will not survive, then closes politely.
    private mutating func refuse(_ response: HTTPResponse) {
        let sent = send(response, to: nil, keepAlive: false)
        lingeringClose(sent: sent)
    }

    /// Writes head and body (no body for HEAD) within the write timeout; false if the client is gone.
    private func send(_ response: HTTPResponse, to request: HTTPRequest?, keepAlive: Bool) -> Bool {
        let head = response.encodedHead(keepAlive: keepAlive, version: request?.version ?? .http11)
        let chunks = request?.method == "HEAD" ? [head] : [head, response.body]
        let total = chunks.reduce(0) { $0 + $1.count }
        let deadlineMs = MonotonicClock.milliseconds() + UInt64(limits.writeTimeoutMs)
        var written = 0
        while written < total {
            guard let count = try? Posix.sendChunks(socket.fd, chunks, skipping: written, blocking: false) else {
                return false
            }
            written += count
            if count == 0 && !wait(for: Int16(POLLOUT), deadlineMs: deadlineMs) { return false }
        }
        return true
    }

    /// Reads what has arrived into the buffer, waiting until `deadlineMs` at most.
    private mutating func readMore(deadlineMs: UInt64) -> ReadOutcome {
        while true {
            guard wait(for: Int16(POLLIN), deadlineMs: deadlineMs) else { return .timedOut }
            let outcome = scratch.withUnsafeMutableBytes { raw in Result { try socket.read(into: raw) } }
            switch outcome {
            case .success(.processed(0)), .failure: return .endOfStream
            case .success(.processed(let count)):
                buffer.append(contentsOf: scratch[0..<count])
                return .data
            case .success(.wouldBlock): continue
            }
        }
    }

    /// True once `events` are ready (or the socket is hung up); false at the deadline.
    private func wait(for events: Int16, deadlineMs: UInt64) -> Bool {
        let nowMs = MonotonicClock.milliseconds()
        guard nowMs < deadlineMs else { return false }
        return (try? socket.poll(events: events, timeoutMs: Int(deadlineMs - nowMs))) ?? false
    }

    /// Stops sending, then reads and drops what the client still sends (for `closeLingerMs` at most),
    /// so closing with unread bytes does not reset the connection before the client reads our answer.
    private mutating func lingeringClose(sent: Bool) {
        guard sent else { return }
        socket.shutdownWrite()
        let deadlineMs = MonotonicClock.milliseconds() + UInt64(limits.closeLingerMs)
        var discardedBytes = 0
        while discardedBytes <= limits.closeLingerBytesMax {
            buffer.removeAll(keepingCapacity: true)
            guard readMore(deadlineMs: deadlineMs) == .data else { return }
            discardedBytes += buffer.count
        }
    }
}
