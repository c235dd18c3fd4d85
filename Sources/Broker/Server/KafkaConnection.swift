import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// One client connection, served by its own thread: read a request, handle it, write its response,
/// then read the next. One request at a time is how Kafka keeps responses in request order (G8);
/// a long-polling Fetch or a held JoinGroup delays this connection only.
final class KafkaConnection: Sendable {
    let socket: Socket
    let peer: SocketAddress
    let core: BrokerCore

    init(socket: Socket, peer: SocketAddress, core: BrokerCore) {
        self.socket = socket
        self.peer = peer
        self.core = core
    }

    /// The connection thread's whole life; closes the socket on return.
    func run() {
        defer { socket.close() }
        // Fetched records go out with sendfile, which has no MSG_NOSIGNAL. `Posix.sendfile` blocks
        // SIGPIPE around each call anyway; blocked for the thread's life, it skips doing so per call.
        Posix.blockSIGPIPEOnThisThread()
        var reader = KafkaFrameReader(frameBytesMax: core.config.requestBytesMax)
        let clientHost = "/" + peer.host
        while true {
            let frame: [UInt8]
            do throws(FrameReadError) {
                guard let next = try reader.next(from: socket) else { return }
                frame = next
            } catch {
                switch error {
                case .badSize: core.counters.rejectedRequests.add(1, ordering: .relaxed)
                // Clients that exit without closing reset the connection; that is not news either.
                case .io(let failure) where failure.errno == ECONNRESET: return
                default: break
                }
                return note("closed \(peer): \(error)")
            }
            switch core.handle(frame: frame, clientHost: clientHost) {
            case .respond(let chunks):
                do throws(PosixError) {
                    try ResponseWriter.write(chunks, to: socket, stallTimeoutMs: core.config.responseStallTimeoutMs)
                } catch {
                    // A client gone before its answer (EPIPE, ECONNRESET) is routine; a stall is not.
                    if error.errno == EPIPE || error.errno == ECONNRESET { return }
                    return note("closed \(peer): writing a response failed: \(error)")
                }
            case .silent:
                continue
            case .close(let reason):
                return note("closed \(peer): \(reason)")
            }
        }
    }

    private func note(_ line: String) {
        // A broker that is stopping shuts every socket down; that is not news.
        guard !core.appendSignal.isStopped else { return }
        core.config.eventLog?(line)
    }
}
