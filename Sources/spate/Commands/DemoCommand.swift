import Dispatch
import Foundation
import Query

#if canImport(Glibc)
    import Glibc
#endif

/// `spate demo`: the whole system on one machine in one command.
enum DemoCommand {
    static let spec = CommandSpec(
        name: "demo",
        summary: "Run a broker, a driver, two executors and a live clickstream job, and watch it",
        description: """
            Start a broker, a driver and two executors as child processes of this one (under --data-dir, \
            or a temporary directory removed at the end), produce generated website clicks into the topic \
            website-logs at --rate per second (a few malformed on purpose; they go to the dead-letter \
            topic), submit examples/clickstream/pv_uv.sql (page views, unique users and unique IPs per \
            10-second window; the copy built into spate when the file is not under the current \
            directory), and show the last closed windows and the last batch's progress, refreshed every \
            second. Windows close 5 s after their end (the job's watermark), so the first one appears \
            within about 20 s. Prints the driver's web page address at start. Ends after --duration \
            seconds of clicks, or on Ctrl-C or SIGTERM; either way every child process is stopped and \
            the exit code is 0 (1 if a process or the job failed; the logs are then kept). On a \
            terminal the screen redraws in place; otherwise, or with --plain, it prints lines.
            """,
        flags: [
            .double("duration", valueName: "S", help: "stop after S seconds of clicks (default: run until Ctrl-C)"),
            .int("rate", default: 20_000, valueName: "N", help: "clicks produced per second"),
            .string("data-dir", valueName: "DIR", help: "keep the broker's data, checkpoint and output here"),
            .int(
                "http-port", default: DemoOptions.defaultHTTPPort, valueName: "PORT",
                help: "the driver's web page port; 0 picks a free one (a taken default falls back to one)"),
            .bool("plain", help: "print lines instead of redrawing the screen"),
        ],
        handler: { arguments in try await run(try DemoOptions.from(arguments)) })

    /// Runs the demo and stops every child process however it ends.
    static func run(_ options: DemoOptions) async throws -> Int32 {
        let stop = StopFlag()
        let signals = stop.setOnSignals([SIGINT, SIGTERM])
        defer { withExtendedLifetime(signals) {} }
        let workspace = try DemoWorkspace(requested: options.dataDirectory)
        let executable = DemoCluster.currentExecutable()
        let cluster = DemoCluster(executable: executable, directory: workspace.path, stop: stop)
        let script = DemoSQL.load(executable: executable)
        let code: Int32
        do {
            code = try await DemoSession.run(options, script: script, cluster: cluster, stop: stop)
        } catch {
            let interrupted = stop.isSet
            // Also ends the click stream, if it had started.
            stop.set()
            await cluster.stopAll()
            // Ctrl-C while it was starting is a normal end too.
            if interrupted {
                workspace.removeIfTemporary()
                print("spate demo: stopped before the job ran; every process is stopped")
                return ExitCode.success
            }
            StandardStreams.writeError("spate demo: \(error)\n")
            if FileManager.default.fileExists(atPath: workspace.path + "/logs") {
                StandardStreams.writeError("spate demo: every process is stopped; logs are in \(workspace.path)/logs\n")
            } else {
                workspace.removeIfTemporary()
            }
            return ExitCode.failure
        }
        await cluster.stopAll()
        if code == ExitCode.success {
            workspace.removeIfTemporary()
        } else {
            StandardStreams.writeError("spate demo: logs are in \(workspace.path)/logs\n")
        }
        print("spate demo: every process is stopped")
        return code
    }
}

/// The demo's directory: the one the user named (kept), or a fresh temporary one (removed after a
/// clean run; kept after a failure, for its logs).
struct DemoWorkspace {
    let path: String
    let isTemporary: Bool

    init(requested: String?) throws {
        if let requested {
            path = URL(fileURLWithPath: requested).standardizedFileURL.path
            isTemporary = false
        } else {
            path =
                URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("spate-demo-\(UUID().uuidString)")
                .standardizedFileURL.path
            isTemporary = true
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw DemoError("cannot create the data directory \(path): \(error.localizedDescription)")
        }
    }

    func removeIfTemporary() {
        if isTemporary { try? FileManager.default.removeItem(atPath: path) }
    }
}
