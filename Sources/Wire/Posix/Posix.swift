#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one place Spate makes system calls: each wrapper retries EINTR, reports would-block as a
/// value where it can happen, and throws `PosixError` naming the call.
public enum Posix {
    /// Result of a non-blocking read or write.
    public enum IOResult: Equatable, Sendable {
        /// This many bytes moved (0 on read means end of stream).
        case processed(Int)
        /// The descriptor is non-blocking and nothing could move now.
        case wouldBlock
    }

    @inline(__always)
    static func retrying<T: BinaryInteger>(
        _ call: String, context: @autoclosure () -> String = "", _ body: () -> T
    ) throws(PosixError) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw PosixError(call: call, errno: code, context: context())
        }
    }

    // MARK: files

    /// Opens `path` with `flags` (O_* constants) and `mode` for created files.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(PosixError) -> Int32 {
        try retrying("open", context: path) { Glibc.open(path, flags, mode) }
    }

    /// Closes a descriptor; EINTR is not retried because Linux frees the descriptor regardless.
    public static func close(_ fd: Int32) throws(PosixError) {
        if Glibc.close(fd) != 0 && errno != EINTR { throw PosixError(call: "close", errno: errno) }
    }

    /// Reads up to `count` bytes at `offset` without moving the file position.
    public static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: Int64)
        throws(PosixError) -> Int
    {
        try retrying("pread") { Glibc.pread(fd, buffer, count, off_t(offset)) }
    }

    /// Writes all of `buffer` at `offset`, looping over short writes.
    public static func pwriteAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, _ offset: Int64) throws(PosixError) {
        var done = 0
        while done < buffer.count {
            let wrote = try retrying("pwrite") {
                Glibc.pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            }
            done += wrote
        }
    }

    /// Writes all of `buffer` at the current position, looping over short writes (blocking descriptors).
    public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(PosixError) {
        var done = 0
        while done < buffer.count {
            let wrote = try retrying("write") { Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done) }
            done += wrote
        }
    }

    /// Reads up to `count` bytes; `.processed(0)` is end of file or stream.
    public static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) throws(PosixError)
        -> IOResult
    {
        while true {
            let result = Glibc.read(fd, buffer, count)
            if result >= 0 { return .processed(result) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: throw PosixError(call: "read", errno: errno)
            }
        }
    }

    /// Writes up to `count` bytes, never raising SIGPIPE on a closed socket.
    public static func send(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) throws(PosixError) -> IOResult {
        while true {
            let result = Glibc.send(fd, buffer, count, Int32(MSG_NOSIGNAL))
            if result >= 0 { return .processed(result) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: throw PosixError(call: "send", errno: errno)
            }
        }
    }

    /// Flushes a file's data and metadata to stable storage.
    public static func fsync(_ fd: Int32) throws(PosixError) {
        _ = try retrying("fsync") { Glibc.fsync(fd) }
    }

    /// Cuts or extends a file to `length` bytes.
    public static func ftruncate(_ fd: Int32, _ length: Int64) throws(PosixError) {
        _ = try retrying("ftruncate") { Glibc.ftruncate(fd, off_t(length)) }
    }

    /// The size in bytes of an open file.
    public static func fileSize(_ fd: Int32) throws(PosixError) -> Int64 {
        var info = stat()
        _ = try retrying("fstat") { Glibc.fstat(fd, &info) }
        return Int64(info.st_size)
    }

    /// Atomically renames `from` to `to`, replacing `to`.
    public static func rename(_ from: String, _ to: String) throws(PosixError) {
        _ = try retrying("rename", context: "\(from) -> \(to)") { Glibc.rename(from, to) }
    }

    /// Removes a file.
    public static func unlink(_ path: String) throws(PosixError) {
        _ = try retrying("unlink", context: path) { Glibc.unlink(path) }
    }

    /// Creates one directory; an existing directory is not an error.
    public static func mkdir(_ path: String, mode: mode_t = 0o755) throws(PosixError) {
        if Glibc.mkdir(path, mode) != 0 && errno != EEXIST {
            throw PosixError(call: "mkdir", errno: errno, context: path)
        }
    }

    /// Creates a directory and all missing parents.
    public static func mkdirs(_ path: String) throws(PosixError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") where !part.isEmpty {
            prefix += part
            try mkdir(prefix)
            prefix += "/"
        }
    }

    /// Fsyncs a directory so renames and creations inside it survive a crash.
    public static func fsyncDirectory(_ path: String) throws(PosixError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { try? close(fd) }
        try fsync(fd)
    }

    /// Names of the entries of a directory, without "." and "..".
    public static func listDirectory(_ path: String) throws(PosixError) -> [String] {
        guard let dir = opendir(path) else { throw PosixError(call: "opendir", errno: errno, context: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Writes `bytes` to `path` crash-safely: temporary file, fsync, rename, fsync of the directory.
    public static func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws(PosixError) {
        let temporary = path + ".tmp"
        let fd = try open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
        do throws(PosixError) {
            try bytes.withUnsafeBytes { raw in Result { () throws(PosixError) in try writeAll(fd, raw) } }.get()
            try fsync(fd)
            try close(fd)
        } catch {
            try? close(fd)
            throw error
        }
        try rename(temporary, path)
        let slash = path.lastIndex(of: "/")
        try fsyncDirectory(slash.map { String(path[..<$0]).isEmpty ? "/" : String(path[..<$0]) } ?? ".")
    }

    /// Reads a whole file.
    public static func readFile(_ path: String) throws(PosixError) -> [UInt8] {
        let fd = try open(path, O_RDONLY | O_CLOEXEC)
        defer { try? close(fd) }
        let size = Int(try fileSize(fd))
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let got = try bytes.withUnsafeMutableBytes { raw in
                Result { () throws(PosixError) in try pread(fd, raw.baseAddress! + done, size - done, Int64(done)) }
            }.get()
            if got == 0 { break }
            done += got
        }
        return done == size ? bytes : Array(bytes[0..<done])
    }

    /// True if something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
