import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP socket that owns its descriptor and closes it exactly once.
/// Blocking by default: Spate runs a thread per connection (see Wire/RPC for why).
public final class Socket: Sendable {
    /// The descriptor; valid until `close()`.
    public let fd: Int32
    private let closed = Atomic<Bool>(false)

    init(fd: Int32) { self.fd = fd }

    deinit { close() }

    /// Listens on `address` (port 0 picks a free one); `SO_REUSEADDR` so restarts rebind at once.
    public static func listen(on address: SocketAddress, backlog: Int32 = 1024) throws(PosixError) -> Socket {
        let socket = try make(ipv6: address.isIPv6)
        var one: Int32 = 1
        _ = setsockopt(socket.fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = address.withSockaddr { Glibc.bind(socket.fd, $0, $1) }
        guard bound == 0 else { throw PosixError(call: "bind", errno: errno, context: address.description) }
        guard Glibc.listen(socket.fd, backlog) == 0 else {
            throw PosixError(call: "listen", errno: errno, context: address.description)
        }
        return socket
    }

    /// Connects to `address`, giving up after `timeoutMs`; the result has TCP_NODELAY set.
    public static func connect(to address: SocketAddress, timeoutMs: Int = 5000) throws(PosixError) -> Socket {
        let socket = try make(ipv6: address.isIPv6)
        try socket.setNonBlocking(true)
        let status = address.withSockaddr { Glibc.connect(socket.fd, $0, $1) }
        if status != 0 {
            guard errno == EINPROGRESS || errno == EINTR else {
                throw PosixError(call: "connect", errno: errno, context: address.description)
            }
            guard try socket.poll(events: Int16(POLLOUT), timeoutMs: timeoutMs) else {
                throw PosixError(call: "connect", errno: ETIMEDOUT, context: address.description)
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { throw PosixError(call: "connect", errno: error, context: address.description) }
        }
        try socket.setNonBlocking(false)
        try socket.setNoDelay()
        return socket
    }

    static func make(ipv6: Bool) throws(PosixError) -> Socket {
        let fd = Glibc.socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw PosixError(call: "socket", errno: errno) }
        return Socket(fd: fd)
    }

    /// Waits for a connection; the accepted socket has TCP_NODELAY set.
    public func accept() throws(PosixError) -> (Socket, SocketAddress) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let client = try Posix.retrying("accept") {
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.accept(fd, $0, &length)
                }
            }
        }
        let socket = Socket(fd: client)
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        try socket.setNoDelay()
        let peer = withUnsafeBytes(of: &storage) {
            SocketAddress(kernel: UnsafeRawBufferPointer(rebasing: $0[0..<Int(length)]))
        }
        return (socket, peer)
    }

    /// The address this socket is bound to (useful after listening on port 0).
    public func localAddress() throws(PosixError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw PosixError(call: "getsockname", errno: errno) }
        return withUnsafeBytes(of: &storage) {
            SocketAddress(kernel: UnsafeRawBufferPointer(rebasing: $0[0..<Int(length)]))
        }
    }

    /// Disables Nagle's algorithm so small RPC frames leave at once.
    public func setNoDelay() throws(PosixError) {
        var one: Int32 = 1
        guard setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw PosixError(call: "setsockopt(TCP_NODELAY)", errno: errno)
        }
    }

    /// Switches O_NONBLOCK on or off.
    public func setNonBlocking(_ on: Bool) throws(PosixError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK) == 0 else {
            throw PosixError(call: "fcntl(O_NONBLOCK)", errno: errno)
        }
    }

    /// Sets a receive timeout so a blocking read returns `.wouldBlock` after `ms` (0 disables it).
    public func setReceiveTimeout(ms: Int) throws(PosixError) {
        var value = timeval(tv_sec: ms / 1000, tv_usec: (ms % 1000) * 1000)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw PosixError(call: "setsockopt(SO_RCVTIMEO)", errno: errno)
        }
    }

    /// Sets the kernel send and receive buffer sizes.
    public func setBufferSizes(bytes: Int32) {
        var size = bytes
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Waits up to `timeoutMs` (-1 forever) for `events`; returns false on timeout.
    public func poll(events: Int16, timeoutMs: Int) throws(PosixError) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        let ready = try Posix.retrying("poll") { Glibc.poll(&entry, 1, Int32(clamping: timeoutMs)) }
        return ready > 0
    }

    /// Reads into `buffer`; `.processed(0)` means the peer closed.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(PosixError) -> Posix.IOResult {
        try Posix.read(fd, buffer.baseAddress!, buffer.count)
    }

    /// Writes all of `buffer`, blocking as needed.
    public func writeAll(_ buffer: UnsafeRawBufferPointer) throws(PosixError) {
        var done = 0
        while done < buffer.count {
            switch try Posix.send(fd, buffer.baseAddress! + done, buffer.count - done) {
            case .processed(let count): done += count
            case .wouldBlock: _ = try poll(events: Int16(POLLOUT), timeoutMs: -1)
            }
        }
    }

    /// Writes all of `bytes`, blocking as needed.
    public func writeAll(_ bytes: [UInt8]) throws(PosixError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(PosixError) in try writeAll(raw) } }.get()
    }

    /// Stops both directions and wakes any thread blocked in read or accept; the descriptor stays open.
    public func shutdown() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Half-closes the sending side so the peer reads end of stream after pending data.
    public func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes the descriptor; later calls do nothing.
    public func close() {
        if closed.exchange(true, ordering: .acquiringAndReleasing) { return }
        _ = Glibc.close(fd)
    }
}
