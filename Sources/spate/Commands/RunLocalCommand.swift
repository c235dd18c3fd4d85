import Broker
import Driver
import Foundation
import Query
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `spate run --local FILE.sql`: runs a job in this process until Ctrl-C, one line per batch.
enum RunLocalCommand {
    static let spec = CommandSpec(
        name: "run",
        summary: "Run a SQL job in this process (--local)",
        description: """
            Run a streaming SQL job locally, like Spark's local[N]: the driver and an executor with --threads \
            task slots run in this process and talk over loopback, exactly as they would across machines. \
            Prints one line per committed batch. Ctrl-C (or SIGTERM) stops cleanly: the batch in flight is \
            left uncommitted and reruns when the job is started again with the same --checkpoint-dir \
            (exit code 0). Without --checkpoint-dir the checkpoint lives in a temporary directory that is \
            removed on exit. Exit code 1 if the job fails or does not compile.
            """,
        flags: [
            .bool("local", help: "run in this process (the only mode; use spate submit for a cluster)"),
            .int(
                "threads", default: ProcessInfo.processInfo.activeProcessorCount,
                help: "task slots; the default is the number of cores"),
            KafkaClientCLI.brokerFlag,
            .string("checkpoint-dir", valueName: "DIR", help: "keep the checkpoint here (default: a temporary one)"),
        ],
        positionals: [.required("FILE", help: "the job's SQL script")],
        handler: { arguments in try await run(try options(from: arguments)) })

    static func options(from arguments: ParsedArguments) throws -> LocalRun.Options {
        guard arguments.bool("local") else {
            throw InvalidArgument("spate run needs --local (to run on a cluster, use spate submit)")
        }
        let threads = arguments.int("threads")
        guard (1...256).contains(threads) else { throw InvalidArgument("--threads must be in 1...256, got \(threads)") }
        let broker = arguments.string("broker")
        guard (try? KafkaClient.parseAddress(broker)) != nil else {
            throw InvalidArgument("--broker must be HOST:PORT, got '\(broker)'")
        }
        let file = arguments.positional("FILE")
        guard let sql = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw InvalidArgument("cannot read the SQL file '\(file)'")
        }
        var options = LocalRun.Options(
            sql: sql, fileName: URL(fileURLWithPath: file).lastPathComponent, brokerAddress: broker, threads: threads,
            checkpointDirectory: arguments.optionalString("checkpoint-dir").map(absolutePath))
        options.console = { text in
            print(text, terminator: "")
            fflush(nil)
        }
        options.log = { line in StandardStreams.writeError("spate run: \(line)\n") }
        return options
    }

    private static func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Runs until a signal (exit 0) or a failed job (exit 1), printing each committed batch.
    private static func run(_ options: LocalRun.Options) async throws -> Int32 {
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        let signalled = Mutex<Int32?>(nil)
        let waiter = Task {
            let signal = await signals.next()
            signalled.withLock { $0 = signal }
        }
        defer { waiter.cancel() }
        let local: LocalRun
        do {
            local = try await LocalRun.start(options)
        } catch let error as SQLError {
            // A job that does not compile is the file's fault, not the command line's: the compiler's
            // message alone, and exit code 1, as `spate submit` does.
            StandardStreams.writeError("\(error.description)\n")
            return ExitCode.failure
        }
        print("spate run: job \(local.jobId) running locally with \(options.threads) task slot(s); Ctrl-C stops it")
        fflush(nil)
        var printed: Int64 = -1
        var code = ExitCode.success
        while signalled.withLock({ $0 }) == nil {
            try? await Task.sleep(nanoseconds: 100_000_000)
            guard let snapshot = local.snapshot else { continue }
            for progress in snapshot.recentProgress where progress.batchId > printed {
                print(line(progress))
                printed = progress.batchId
            }
            fflush(nil)
            if snapshot.state == .failed {
                StandardStreams.writeError("spate run: job \(local.jobId) failed: \(snapshot.failure ?? "unknown")\n")
                code = ExitCode.failure
                break
            }
        }
        await local.stop()
        return code
    }

    /// "batch 7: 1200 rows in, 3 out, 0 dead letters, 41 ms, watermark 2026-11-30T03:24:04.923Z".
    static func line(_ progress: ProgressRecord) -> String {
        let watermark = progress.eventTime.watermarkMs.map { TimestampCodec.formatISO8601(epochMs: $0) } ?? "none"
        return "batch \(progress.batchId): \(progress.numInputRows) rows in, \(progress.sink.rowsWritten) out, "
            + "\(progress.deadLetters) dead letters, \(progress.durations.totalMs) ms, watermark \(watermark)"
    }
}
