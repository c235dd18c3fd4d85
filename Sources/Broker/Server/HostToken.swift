import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// A random token the broker writes to its data directory at start, sent with every local-read
/// answer: a reader that finds the same token in that file sees the broker's files, so the
/// segment paths it is given name the very files the broker wrote (not another host's, nor
/// another container's).
struct HostToken: Sendable {
    static let fileName = ".host-token"

    /// 32 hex digits.
    let token: String
    /// Absolute path of the token file.
    let path: String
    /// Absolute directory that relative segment paths are resolved against (the working directory
    /// at start, which the broker's relative paths were opened from).
    let workingDirectory: String

    /// Writes a fresh token to `<dataDirectory>/.host-token` (temporary file, mode 0600, rename).
    init(dataDirectory: String) throws(BrokerError) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        token = bytes.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        workingDirectory = Self.currentDirectory() ?? "/"
        let directory = dataDirectory.hasPrefix("/") ? dataDirectory : workingDirectory + "/" + dataDirectory
        path = directory + "/" + Self.fileName
        do throws(PosixError) {
            try Self.write(Array(token.utf8), to: path)
        } catch {
            throw .dataDirectory(path: dataDirectory, reason: "cannot write \(path): \(error)")
        }
    }

    /// `path` made absolute against the working directory at start.
    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : workingDirectory + "/" + path
    }

    private static func write(_ bytes: [UInt8], to path: String) throws(PosixError) {
        let temporary = path + ".tmp"
        let fd = try Posix.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o600)
        do throws(PosixError) {
            try bytes.withUnsafeBytes { raw in Result { () throws(PosixError) in try Posix.writeAll(fd, raw) } }.get()
            try Posix.close(fd)
        } catch {
            try? Posix.close(fd)
            throw error
        }
        try Posix.rename(temporary, path)
    }

    private static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
