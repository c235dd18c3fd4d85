import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// Writes whole response frames to a connection: bytes with `sendmsg` from their own buffers, and
/// segment regions with `sendfile` from the page cache, so fetched records are never copied
/// through user memory. Every write is non-blocking with a stall timeout.
enum ResponseWriter {
    /// Writes every chunk in order; throws when the peer takes no bytes for `stallTimeoutMs`, so a
    /// client that stops reading cannot pin a broker thread forever.
    static func write(_ chunks: [ResponseChunk], to socket: Socket, stallTimeoutMs: Int) throws(PosixError) {
        let hasRegion = chunks.contains { if case .region = $0 { true } else { false } }
        // sendfile has no MSG_DONTWAIT: the socket itself turns non-blocking while regions go out,
        // and blocking again for the connection's reads, whose idle timeout needs a blocking read.
        if hasRegion { try socket.setNonBlocking(true) }
        defer { if hasRegion { try? socket.setNonBlocking(false) } }
        var index = 0
        while index < chunks.count {
            var run: [[UInt8]] = []
            while index < chunks.count, case .bytes(let bytes) = chunks[index] {
                run.append(bytes)
                index += 1
            }
            if !run.isEmpty {
                try writeBytes(run, to: socket, moreFollows: index < chunks.count, stallTimeoutMs: stallTimeoutMs)
            }
            if index < chunks.count, case .region(let region) = chunks[index] {
                try writeRegion(region, to: socket, stallTimeoutMs: stallTimeoutMs)
                index += 1
            }
        }
    }

    private static func writeBytes(_ chunks: [[UInt8]], to socket: Socket, moreFollows: Bool, stallTimeoutMs: Int)
        throws(PosixError)
    {
        let total = chunks.reduce(0) { $0 + $1.count }
        var written = 0
        while written < total {
            let count = try Posix.sendChunks(
                socket.fd, chunks, skipping: written, blocking: false, moreFollows: moreFollows)
            if count > 0 {
                written += count
                continue
            }
            try awaitRoom(socket, call: "sendmsg", stallTimeoutMs: stallTimeoutMs)
        }
    }

    private static func writeRegion(_ region: SegmentRegion, to socket: Socket, stallTimeoutMs: Int)
        throws(PosixError)
    {
        var written = 0
        while written < region.count {
            let result = try Posix.sendfile(
                socket.fd, from: region.file.fd, offset: region.position + Int64(written),
                count: region.count - written)
            switch result {
            case .processed(0):
                // Segments only grow while open, so this is a file cut under us; the frame cannot be finished.
                throw PosixError(call: "sendfile", errno: EIO, context: "\(region.file.path) ended inside a fetch")
            case .processed(let count): written += count
            case .wouldBlock: try awaitRoom(socket, call: "sendfile", stallTimeoutMs: stallTimeoutMs)
            }
        }
    }

    /// Waits for send buffer space, or throws ETIMEDOUT after `stallTimeoutMs` without any.
    private static func awaitRoom(_ socket: Socket, call: String, stallTimeoutMs: Int) throws(PosixError) {
        guard try socket.poll(events: Int16(POLLOUT), timeoutMs: stallTimeoutMs) else {
            throw PosixError(call: call, errno: ETIMEDOUT, context: "peer stopped reading responses")
        }
    }
}
