#if canImport(Glibc)
    import Glibc
#endif

extension Posix {
    /// Writes every chunk in order with as few `sendmsg` calls as possible, blocking as needed.
    public static func writevAll(_ fd: Int32, _ chunks: [[UInt8]]) throws(PosixError) {
        var chunkIndex = 0
        var offsetInChunk = 0
        let iovecsMax = 64
        while chunkIndex < chunks.count {
            // Pointers from withUnsafeBufferPointer are only valid inside the closure, so one
            // writev is issued per nested pass over at most `iovecsMax` chunks.
            let wrote = try writevBatch(fd, chunks, chunkIndex, offsetInChunk, iovecsMax)
            var remaining = wrote
            while remaining > 0 && chunkIndex < chunks.count {
                let available = chunks[chunkIndex].count - offsetInChunk
                if remaining >= available {
                    remaining -= available
                    chunkIndex += 1
                    offsetInChunk = 0
                } else {
                    offsetInChunk += remaining
                    remaining = 0
                }
            }
            while chunkIndex < chunks.count && chunks[chunkIndex].count == offsetInChunk {
                chunkIndex += 1
                offsetInChunk = 0
            }
        }
    }

    static func writevBatch(_ fd: Int32, _ chunks: [[UInt8]], _ first: Int, _ offset: Int, _ limit: Int)
        throws(PosixError) -> Int
    {
        var vectors: [iovec] = []
        vectors.reserveCapacity(min(limit, chunks.count - first))
        var keepAlive: [[UInt8]] = []
        keepAlive.reserveCapacity(vectors.capacity)
        for index in first..<min(chunks.count, first + limit) {
            let chunk = chunks[index]
            let skip = index == first ? offset : 0
            if chunk.count - skip == 0 { continue }
            keepAlive.append(chunk)
            // The array buffer is kept alive by `keepAlive` for the duration of the call.
            let base = chunk.withUnsafeBytes { UnsafeMutableRawPointer(mutating: $0.baseAddress!) }
            vectors.append(iovec(iov_base: base + skip, iov_len: chunk.count - skip))
        }
        if vectors.isEmpty { return 0 }
        return try withExtendedLifetime(keepAlive) { () throws(PosixError) -> Int in
            while true {
                let result = vectors.withUnsafeMutableBufferPointer { buffer in
                    var message = msghdr()
                    message.msg_iov = buffer.baseAddress
                    message.msg_iovlen = buffer.count
                    return Glibc.sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
                }
                if result >= 0 { return result }
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = Glibc.poll(&entry, 1, -1)
                    continue
                }
                throw PosixError(call: "sendmsg", errno: errno)
            }
        }
    }
}
