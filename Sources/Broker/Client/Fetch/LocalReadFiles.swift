import Synchronization
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// How a client's local reads went: bytes read from segment files, fetches that fell back to the
/// socket, and record bytes that came over it in Fetch answers.
public struct LocalReadCounts: Sendable, Equatable {
    /// Record-batch bytes read with pread from the broker's segment files.
    public var localBytes: Int64 = 0
    /// Local reads given up for a Fetch: a token that did not match, a vanished file, a short read.
    public var fallbacks: Int64 = 0
    /// Record-batch bytes received in Fetch answers.
    public var fetchedBytes: Int64 = 0
    /// Brokers found not to share this host's files (or not to serve local reads).
    public var remoteBrokers: Int = 0
}

/// A segment file opened read-only; closed when the last reader lets go of it, so an eviction
/// from the cache never closes a descriptor under a pread.
final class ReadOnlyFile: Sendable {
    let fd: Int32

    init(path: String) throws(PosixError) {
        fd = try Posix.open(path, O_RDONLY | O_CLOEXEC)
    }

    deinit { try? Posix.close(fd) }

    /// Fills `buffer` from `position`; false when the file ends first.
    func readFully(_ buffer: UnsafeMutableRawBufferPointer, at position: Int64) throws(PosixError) -> Bool {
        var done = 0
        while done < buffer.count {
            guard let base = buffer.baseAddress else { return false }
            let got = try Posix.pread(fd, base + done, buffer.count - done, position + Int64(done))
            if got == 0 { return false }
            done += got
        }
        return true
    }
}

/// A client's local-read state: which brokers are remote, which host tokens it has checked, and
/// a bounded cache of open segment files.
final class LocalReadFiles: Sendable {
    private struct State {
        var remote: Set<String> = []
        /// Token file path → the token it was found to hold.
        var verified: [String: String] = [:]
        /// By broker token and path: a restarted broker (a new token) may have recreated a segment
        /// file at the same path, which an old descriptor would not see.
        var files: [FileKey: ReadOnlyFile] = [:]
        /// Keys of `files`, oldest opened first.
        var order: [FileKey] = []
    }

    struct FileKey: Hashable {
        let token: String
        let path: String
    }

    /// Open segment files kept at once.
    static let filesMax = 32
    private let state = Mutex(State())
    let localBytes = Atomic<Int64>(0)
    let fallbacks = Atomic<Int64>(0)
    let fetchedBytes = Atomic<Int64>(0)

    var counts: LocalReadCounts {
        LocalReadCounts(
            localBytes: localBytes.load(ordering: .relaxed), fallbacks: fallbacks.load(ordering: .relaxed),
            fetchedBytes: fetchedBytes.load(ordering: .relaxed), remoteBrokers: state.withLock { $0.remote.count })
    }

    func isRemote(_ address: String) -> Bool { state.withLock { $0.remote.contains(address) } }

    func markRemote(_ address: String) { state.withLock { _ = $0.remote.insert(address) } }

    /// True when the file at `path` holds `token`; read once per token seen.
    func holdsToken(_ token: String, at path: String) -> Bool {
        if state.withLock({ $0.verified[path] == token }) { return true }
        guard let found = try? Posix.readFile(path), String(decoding: found, as: UTF8.self) == token else {
            return false
        }
        state.withLock { $0.verified[path] = token }
        return true
    }

    /// The segment file at `path` of the broker with `token`, opened on first use.
    func file(_ path: String, token: String) throws(PosixError) -> ReadOnlyFile {
        let key = FileKey(token: token, path: path)
        if let open = state.withLock({ $0.files[key] }) { return open }
        let opened = try ReadOnlyFile(path: path)
        let (file, evicted) = state.withLock { state -> (ReadOnlyFile, ReadOnlyFile?) in
            if let raced = state.files[key] { return (raced, nil) }
            var evicted: ReadOnlyFile?
            if state.order.count >= Self.filesMax {
                evicted = state.files.removeValue(forKey: state.order.removeFirst())
            }
            state.files[key] = opened
            state.order.append(key)
            return (opened, evicted)
        }
        // Closed here, outside the lock, unless a reader still holds it.
        _ = evicted
        return file
    }

    /// Forgets the open file at `path` (it turned out shorter than a region, say).
    func forget(_ path: String, token: String) {
        let key = FileKey(token: token, path: path)
        let dropped = state.withLock { state -> ReadOnlyFile? in
            guard let dropped = state.files.removeValue(forKey: key) else { return nil }
            state.order.removeAll { $0 == key }
            return dropped
        }
        _ = dropped
    }
}
