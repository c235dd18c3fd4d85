import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on `<data-dir>/.lock`, so two brokers never write one directory. The
/// kernel drops the lock when the process dies, so a `kill -9` never leaves it stale.
final class DataDirectoryLock: Sendable {
    static let fileName = ".lock"
    private let fd: Int32

    /// Takes the lock, or explains who holds it.
    init(dataDirectory: String) throws(BrokerError) {
        let path = dataDirectory + "/" + Self.fileName
        let fd: Int32
        do throws(PosixError) {
            fd = try Posix.open(path, O_RDWR | O_CREAT | O_CLOEXEC)
        } catch {
            throw .dataDirectory(path: dataDirectory, reason: "cannot open \(path): \(error)")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            try? Posix.close(fd)
            let reason =
                code == EWOULDBLOCK
                ? "another broker is using it (\(path) is locked)"
                : "cannot lock \(path): \(PosixError(call: "flock", errno: code))"
            throw .dataDirectory(path: dataDirectory, reason: reason)
        }
        self.fd = fd
    }

    deinit {
        // Unlock explicitly: a child forked meanwhile (Process.run) may still share this open file
        // description until it execs, and closing our descriptor alone would leave the lock held.
        _ = flock(fd, LOCK_UN)
        try? Posix.close(fd)
    }
}
