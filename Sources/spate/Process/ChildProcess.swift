import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Why a child process could not be started.
struct ChildProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A child process of this one, started with `posix_spawn`: its standard output and error go to
/// files (which callers read for its "listening on" line and show when it fails), it runs in a
/// process group of its own (so Ctrl-C in the terminal reaches only the parent, which stops the
/// children in order), and it is reaped exactly once.
final class ChildProcess: Sendable {
    /// What the user calls it, e.g. "driver".
    let name: String
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    /// The wait status once reaped; nil while it runs.
    private let reaped = Mutex<Int32?>(nil)

    private init(name: String, pid: pid_t, stdoutPath: String, stderrPath: String) {
        self.name = name
        self.pid = pid
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    /// Starts `executable` with `arguments` in `directory`, with `extraEnvironment` added to this
    /// process's environment; stdin is /dev/null.
    static func spawn(
        name: String, executable: String, arguments: [String], directory: String, stdoutPath: String,
        stderrPath: String, extraEnvironment: [String: String] = [:]
    ) throws(ChildProcessError) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard let changeDirectory = Self.addChangeDirectory, changeDirectory(&actions, directory) == 0 else {
            throw ChildProcessError("cannot start the \(name) in \(directory): posix_spawn cannot change directory")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        configure(&attributes)
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extraEnvironment) { _, new in new }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw ChildProcessError("cannot start the \(name) (\(executable)): \(String(cString: strerror(result)))")
        }
        return ChildProcess(name: name, pid: pid, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29 and later), looked up at run time
    /// because the Glibc module does not export it.
    private static let addChangeDirectory: AddChangeDirectory? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChangeDirectory.self)
    }()
    private typealias AddChangeDirectory =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
        ) -> Int32

    /// A group of its own; SIGINT, SIGTERM and SIGPIPE back to their defaults (this process may
    /// ignore them to catch them with Dispatch, and ignored signals survive exec); no signal blocked.
    private static func configure(_ attributes: inout posix_spawnattr_t) {
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
    }

    /// The wait status if it has ended (reaping it then), nil while it runs. Never blocks.
    func exitStatus() -> Int32? {
        reaped.withLock { reaped -> Int32? in
            if let reaped { return reaped }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            // ECHILD means someone else reaped it; either way it is gone.
            if result == pid || (result == -1 && errno == ECHILD) { reaped = status }
            return reaped
        }
    }

    /// Ends it: SIGTERM, then SIGKILL if it is still running after `graceMs`; returns once it is
    /// reaped. Blocking: call it off Swift's shared pool.
    @discardableResult
    func stop(graceMs: Int) -> Int32 {
        if let status = exitStatus() { return status }
        kill(pid, SIGTERM)
        let deadlineNs = DispatchTime.now().uptimeNanoseconds + UInt64(graceMs) * 1_000_000
        while DispatchTime.now().uptimeNanoseconds < deadlineNs {
            if let status = exitStatus() { return status }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        // SIGKILL cannot be caught; only a process stuck in the kernel outlives this bound.
        for _ in 0..<2_000 {
            if let status = exitStatus() { return status }
            usleep(5_000)
        }
        return exitStatus() ?? Self.unreapedStatus
    }

    /// What `stop` returns for a process that outlived SIGKILL for 10 s.
    static let unreapedStatus: Int32 = -1

    /// The wait status in words: "exit code 1", "killed by signal 9".
    static func describe(status: Int32) -> String {
        if status == unreapedStatus { return "still running after SIGKILL" }
        let signal = status & 0x7f
        if signal == 0 { return "exit code \((status >> 8) & 0xff)" }
        return "killed by signal \(signal)"
    }

    /// The last `lineCount` lines of its standard error, for a failure message.
    func stderrTail(lineCount: Int = 12) -> String {
        guard let text = try? String(contentsOfFile: stderrPath, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lineCount + 1)
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
