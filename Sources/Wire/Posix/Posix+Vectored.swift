#if canImport(Glibc)
    import Glibc
#endif

extension Posix {
    /// Writes every chunk in order, blocking as needed.
    public static func writevAll(_ fd: Int32, _ chunks: [[UInt8]]) throws(PosixError) {
        let total = chunks.reduce(0) { $0 + $1.count }
        var written = 0
        while written < total {
            written += try sendChunks(fd, chunks, skipping: written, blocking: true)
        }
    }

    /// One `sendmsg` of `chunks` after the first `skipping` bytes; returns the bytes written, 0 when
    /// non-blocking and the socket buffer is full. Never raises SIGPIPE. `moreFollows` (MSG_MORE)
    /// holds a partial segment back for data the caller sends next by other means (sendfile).
    public static func sendChunks(
        _ fd: Int32, _ chunks: [[UInt8]], skipping: Int, blocking: Bool, moreFollows: Bool = false
    ) throws(PosixError) -> Int {
        let iovecsMax = 64
        var vectors: [iovec] = []
        vectors.reserveCapacity(min(iovecsMax, chunks.count))
        var skip = skipping
        var kept: [[UInt8]] = []
        for chunk in chunks where vectors.count < iovecsMax {
            if skip >= chunk.count {
                skip -= chunk.count
                continue
            }
            kept.append(chunk)
            // The buffer stays alive through `kept` until sendmsg returns.
            let base = chunk.withUnsafeBytes { UnsafeMutableRawPointer(mutating: $0.baseAddress!) }
            vectors.append(iovec(iov_base: base + skip, iov_len: chunk.count - skip))
            skip = 0
        }
        if vectors.isEmpty { return 0 }
        let flags = Int32(MSG_NOSIGNAL) | (blocking ? 0 : Int32(MSG_DONTWAIT)) | (moreFollows ? Int32(MSG_MORE) : 0)
        return try withExtendedLifetime(kept) { () throws(PosixError) -> Int in
            while true {
                let result = vectors.withUnsafeMutableBufferPointer { buffer in
                    var message = msghdr()
                    message.msg_iov = buffer.baseAddress
                    message.msg_iovlen = buffer.count
                    return Glibc.sendmsg(fd, &message, flags)
                }
                if result >= 0 { return result }
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK:
                    if !blocking { return 0 }
                    var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = Glibc.poll(&entry, 1, -1)
                default: throw PosixError(call: "sendmsg", errno: errno)
                }
            }
        }
    }
}
