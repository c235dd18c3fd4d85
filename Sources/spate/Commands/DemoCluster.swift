import Foundation
import Synchronization
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// Why the demo stopped before it was running.
struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The broker, driver and executors of the demo: child processes of this binary under one data
/// directory, each started once the one before it listens, and all stopped together.
final class DemoCluster: Sendable {
    /// The running binary, which every child runs with another subcommand.
    let executable: String
    /// Children run here (relative sink paths land under it); their logs go to `logs/`.
    let directory: String
    /// Set by a signal: waits give up and the caller stops everything.
    let stop: StopFlag
    /// Every child started, in start order, so `stopAll` finds each even after a failed start.
    private let children = Mutex<[ChildProcess]>([])
    /// How long a child may take to say it listens.
    static let readyTimeoutMs = 60_000
    /// How long a child gets to stop after SIGTERM before SIGKILL.
    static let stopGraceMs = 10_000

    init(executable: String, directory: String, stop: StopFlag) {
        self.executable = executable
        self.directory = directory
        self.stop = stop
    }

    /// The running executable's path, from /proc (argv[0] may be relative or a bare name).
    static func currentExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 { return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    /// Starts `spate <arguments>` as the child called `name`, and waits until `ready` finds what
    /// it needs in its standard output; the child's failure, a timeout or a signal throws.
    func start<Value: Sendable>(
        _ name: String, _ arguments: [String], ready: @escaping @Sendable (String) -> Value?
    ) async throws -> Value {
        let logs = directory + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let file = name.replacingOccurrences(of: " ", with: "-")
        let child = try ChildProcess.spawn(
            name: name, executable: executable, arguments: arguments, directory: directory,
            stdoutPath: "\(logs)/\(file).out", stderrPath: "\(logs)/\(file).log",
            extraEnvironment: [ParentWatch.variable: "\(getpid())"])
        children.withLock { $0.append(child) }
        let deadline = ContinuousClock.now + .milliseconds(Self.readyTimeoutMs)
        while ContinuousClock.now < deadline {
            if stop.isSet { throw DemoError("stopped while the \(name) was starting") }
            let output = (try? String(contentsOfFile: child.stdoutPath, encoding: .utf8)) ?? ""
            if let value = ready(output) { return value }
            if let status = child.exitStatus() {
                throw DemoError(
                    "the \(name) ended as it started (\(ChildProcess.describe(status: status))):\n"
                        + child.stderrTail())
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        throw DemoError("the \(name) did not start within \(Self.readyTimeoutMs / 1000) s; see \(child.stderrPath)")
    }

    /// The first child that has ended on its own, with its wait status.
    func ended() -> (ChildProcess, Int32)? {
        for child in children.withLock({ $0 }) {
            if let status = child.exitStatus() { return (child, status) }
        }
        return nil
    }

    /// Stops every child, last started first, the executors together: executors leave the
    /// driver, then the driver stops, then the broker it talks to. Blocking; returns when all
    /// are reaped.
    func stopAll() async {
        let started = children.withLock { $0 }
        let executors = started.filter { $0.name.hasPrefix("executor") }
        let others = started.filter { !$0.name.hasPrefix("executor") }.reversed()
        await onThread {
            for child in executors where child.exitStatus() == nil { kill(child.pid, SIGTERM) }
            for child in executors { child.stop(graceMs: Self.stopGraceMs) }
            for child in others { child.stop(graceMs: Self.stopGraceMs) }
        }
    }

    /// Whether `port` on 127.0.0.1 can be listened on now (bound the way the driver binds).
    static func portIsFree(_ port: Int) -> Bool {
        guard let address = try? SocketAddress(parsing: "127.0.0.1:\(port)") else { return false }
        guard let socket = try? Socket.listen(on: address, backlog: 1) else { return false }
        socket.close()
        return true
    }
}
