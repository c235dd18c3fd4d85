import Wire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One open segment file. Readers keep a reference while they pread outside the log's lock, so the
/// descriptor is closed exactly once, when the last user lets go (even after retention unlinked it).
final class SegmentFile: Sendable {
    let fd: Int32
    let path: String

    /// Opens (creating if needed) `path` for reading and appending with pwrite.
    init(path: String) throws(LogError) {
        do { fd = try Posix.open(path, O_RDWR | O_CREAT | O_CLOEXEC) } catch { throw .io(error) }
        self.path = path
    }

    deinit { try? Posix.close(fd) }

    /// Current size in bytes.
    func size() throws(LogError) -> Int64 {
        do { return try Posix.fileSize(fd) } catch { throw .io(error) }
    }

    /// Up to `count` bytes at `position`; fewer only at the end of the file.
    func read(at position: Int64, count: Int) throws(LogError) -> [UInt8] {
        guard count > 0 else { return [] }
        var failure: PosixError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                do throws(PosixError) {
                    let got = try Posix.pread(fd, buffer.baseAddress! + done, count - done, position + Int64(done))
                    if got == 0 { break }
                    done += got
                } catch {
                    failure = error
                    break
                }
            }
            initialized = done
        }
        if let failure { throw .io(failure) }
        return bytes
    }

    /// Writes all of `bytes` at `position`.
    func write(_ bytes: [UInt8], at position: Int64) throws(LogError) {
        do throws(PosixError) {
            try bytes.withBytes { raw throws(PosixError) in try Posix.pwriteAll(fd, raw, position) }
        } catch {
            throw .io(error)
        }
    }

    /// Forces written bytes to stable storage.
    func sync() throws(LogError) {
        do { try Posix.fsync(fd) } catch { throw .io(error) }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: Int64) throws(LogError) {
        do { try Posix.ftruncate(fd, length) } catch { throw .io(error) }
    }
}
