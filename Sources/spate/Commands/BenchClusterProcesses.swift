import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The child processes of `spate bench cluster`, all started from this very binary with their
/// output in files; `killAll` ends every one still running, however the benchmark ends.
final class BenchChildren: Sendable {
    /// One started child.
    struct Child: Sendable {
        let name: String
        let pid: pid_t
        let stdoutPath: String
        let stderrPath: String
    }

    /// The running binary (`.build/release/spate` when run from a build).
    let binary: String
    /// Where the children's output files go.
    let directory: String
    private let running = Mutex<[pid_t: String]>([:])

    init(directory: String) throws {
        self.directory = directory
        guard let binary = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw BenchError("cannot find the running spate binary through /proc/self/exe")
        }
        self.binary = binary
    }

    /// Starts `spate ARGUMENTS...` with stdin from /dev/null and stdout/stderr in `name`.out/.err.
    func spawn(_ name: String, _ arguments: [String]) throws -> Child {
        let child = Child(
            name: name, pid: 0, stdoutPath: "\(directory)/\(name).out", stderrPath: "\(directory)/\(name).err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, child.stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, child.stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] =
            ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        // This process ignores SIGINT and SIGTERM (it handles them itself); a child must not
        // inherit that, or `kill -INT` would not stop it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let status = running.withLock { running -> Int32 in
            let status = posix_spawn(&pid, binary, &actions, &attributes, argv, envp)
            if status == 0 { running[pid] = name }
            return status
        }
        guard status == 0 else {
            throw BenchError("cannot start \(binary) \(name): \(String(cString: strerror(status)))")
        }
        return Child(name: name, pid: pid, stdoutPath: child.stdoutPath, stderrPath: child.stderrPath)
    }

    /// Sends `signal` to `child` if it is still ours to signal.
    func signal(_ child: Child, _ signal: Int32) {
        guard running.withLock({ $0[child.pid] != nil }) else { return }
        kill(child.pid, signal)
    }

    /// Waits up to `timeoutMs` for `child` to exit, then kills it; reaps it either way.
    func reap(_ child: Child, timeoutMs: Int) {
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1e3)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(child.pid, &status, WNOHANG) != 0 {
                _ = running.withLock { $0.removeValue(forKey: child.pid) }
                return
            }
            usleep(10_000)
        }
        kill(child.pid, SIGKILL)
        waitpid(child.pid, &status, 0)
        _ = running.withLock { $0.removeValue(forKey: child.pid) }
    }

    /// `kill -9` and reap.
    func killNow(_ child: Child) {
        signal(child, SIGKILL)
        reap(child, timeoutMs: 5_000)
    }

    /// Kills every child still running and reaps it.
    func killAll() {
        let pids = running.withLock { running in
            defer { running.removeAll() }
            return Array(running.keys)
        }
        for pid in pids { kill(pid, SIGKILL) }
        var status: Int32 = 0
        for pid in pids { waitpid(pid, &status, 0) }
    }

    /// Whether `child` is still running (not yet exited).
    func isRunning(_ child: Child) -> Bool {
        var status: Int32 = 0
        guard running.withLock({ $0[child.pid] != nil }) else { return false }
        guard waitpid(child.pid, &status, WNOHANG) == 0 else {
            _ = running.withLock { $0.removeValue(forKey: child.pid) }
            return false
        }
        return true
    }

    /// The first line of `child`'s stdout (or stderr) that contains `text`, waiting up to
    /// `timeoutSeconds`; an exited child or the deadline is an error that quotes its stderr.
    func line(of child: Child, containing text: String, inStderr: Bool = false, timeoutSeconds: Double = 30)
        async throws -> String
    {
        let path = inStderr ? child.stderrPath : child.stdoutPath
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            let output = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if let line = output.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            guard isRunning(child) else { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let errors = (try? String(contentsOfFile: child.stderrPath, encoding: .utf8)) ?? ""
        throw BenchError(
            "\(child.name) did not say '\(text)' (\(isRunning(child) ? "still running" : "exited")): "
                + errors.suffix(2_000))
    }
}

/// The first `127.0.0.1:PORT` (or other host:port) after "listening on " in `line`.
func listeningAddress(in line: String) throws -> String {
    guard let range = line.range(of: "listening on ") else { throw BenchError("no address in '\(line)'") }
    let rest = line[range.upperBound...]
    let address = rest.prefix { !$0.isWhitespace && $0 != "(" && $0 != "," }
    guard address.contains(":") else { throw BenchError("no address in '\(line)'") }
    return String(address)
}
