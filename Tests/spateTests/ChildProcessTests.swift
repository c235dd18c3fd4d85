import Foundation
import Testing

@testable import spate

#if canImport(Glibc)
    import Glibc
#endif

/// The demo's child-process helper against real processes (/bin/sh): output lands in its files,
/// and `stop` ends a process that obeys SIGTERM and one that ignores it, reaping both.
@Suite struct ChildProcessTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spate-child-\(UUID())").path

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func spawn(_ script: String) throws -> ChildProcess {
        try ChildProcess.spawn(
            name: "sh", executable: "/bin/sh", arguments: ["-c", script], directory: directory,
            stdoutPath: directory + "/out", stderrPath: directory + "/err", extraEnvironment: ["DEMO_TEST": "yes"])
    }

    /// Polls `file` until it holds `text` (30 s safety net).
    private func waitFor(_ text: String, in file: String) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? String(contentsOfFile: file, encoding: .utf8))?.contains(text) == true { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    private func isGone(_ pid: pid_t) -> Bool { kill(pid, 0) == -1 && errno == ESRCH }

    @Test func runsInItsDirectoryWithItsEnvironmentAndGroup() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let child = try spawn("echo \"$PWD $DEMO_TEST\"; echo oops >&2; exit 3")
        #expect(await waitFor("yes", in: child.stdoutPath))
        let deadline = ContinuousClock.now + .seconds(30)
        while child.exitStatus() == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let status = try #require(child.exitStatus())
        #expect(ChildProcess.describe(status: status) == "exit code 3")
        let output = try String(contentsOfFile: child.stdoutPath, encoding: .utf8)
        #expect(output == "\(URL(fileURLWithPath: directory).resolvingSymlinksInPath().path) yes\n")
        #expect(child.stderrTail() == "oops")
    }

    @Test func stopEndsAProcessWithSIGTERM() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let child = try spawn("echo up; exec sleep 60")
        #expect(await waitFor("up", in: child.stdoutPath))
        #expect(getpgid(child.pid) == child.pid, "a process group of its own")
        let status = await onThread { child.stop(graceMs: 30_000) }
        #expect(ChildProcess.describe(status: status) == "killed by signal \(SIGTERM)")
        #expect(isGone(child.pid))
    }

    @Test func stopKillsAProcessThatIgnoresSIGTERM() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let child = try spawn("trap '' TERM; echo up; exec sleep 60")
        #expect(await waitFor("up", in: child.stdoutPath))
        let status = await onThread { child.stop(graceMs: 300) }
        #expect(ChildProcess.describe(status: status) == "killed by signal \(SIGKILL)")
        #expect(isGone(child.pid))
    }

    @Test func aMissingExecutableIsATypedError() {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: ChildProcessError.self) {
            try ChildProcess.spawn(
                name: "ghost", executable: "/nonexistent/spate", arguments: [], directory: directory,
                stdoutPath: directory + "/out", stderrPath: directory + "/err")
        }
    }
}
