import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// Writes whole response frames to a connection with `sendmsg`, so fetched record bytes go out
/// from their own buffers without being copied into one frame first.
enum ResponseWriter {
    /// Writes every chunk in order; throws when the peer takes no bytes for `stallTimeoutMs`, so a
    /// client that stops reading cannot pin a broker thread forever.
    static func write(_ chunks: [[UInt8]], to socket: Socket, stallTimeoutMs: Int) throws(PosixError) {
        let total = chunks.reduce(0) { $0 + $1.count }
        var written = 0
        while written < total {
            let count = try Posix.sendChunks(socket.fd, chunks, skipping: written, blocking: false)
            if count > 0 {
                written += count
                continue
            }
            guard try socket.poll(events: Int16(POLLOUT), timeoutMs: stallTimeoutMs) else {
                throw PosixError(call: "sendmsg", errno: ETIMEDOUT, context: "peer stopped reading responses")
            }
        }
    }
}
