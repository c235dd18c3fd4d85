import Executor
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `spate executor`: runs tasks for a driver until SIGTERM (leave cleanly) or SIGINT.
enum ExecutorCommand {
    static let spec = CommandSpec(
        name: "executor",
        summary: "Run tasks for a Spate driver",
        description: """
            Run an executor for the driver at --driver. It may start before the driver: it keeps trying to \
            connect (and says so), registers once the driver answers, and registers anew under a new id if \
            the connection is lost. It runs up to --slots tasks at once and serves its shuffle blocks to \
            other executors on --port. SIGTERM or SIGINT make it leave cleanly: the driver is told, running \
            tasks finish and their results are delivered, then it exits (code 0). With --secret (or \
            SPATE_SECRET) it proves the shared secret to the driver and requires it of peers.
            """,
        flags: [
            .string("driver", required: true, valueName: "HOST:PORT", help: "the driver's RPC address"),
            .int("slots", default: 1, help: "tasks run at once, each on its own thread"),
            .int("port", default: 0, valueName: "PORT", help: "port of the shuffle server; 0 picks a free one"),
            .string("bind", default: "127.0.0.1", valueName: "ADDR", help: "address the shuffle server listens on"),
            .string(
                "advertise", valueName: "HOST",
                help: "host other executors reach this one at (default: the bind address, or for 0.0.0.0 the "
                    + "address this machine reaches the driver from)"),
            .string("secret", valueName: "S", help: "shared secret (default: $SPATE_SECRET; none when unset)"),
            .string(
                "read-ahead", default: "auto", valueName: "auto|on|off",
                help: "fetch a partition's next range while a task works; auto: only when --slots leaves a core free"),
        ],
        handler: { arguments in try await run(try config(from: arguments)) })

    /// The executor configuration the flags describe; bad values are usage errors.
    static func config(from arguments: ParsedArguments) throws -> ExecutorConfig {
        let driver = arguments.string("driver")
        guard driver.contains(":"), let port = UInt16(driver.split(separator: ":").last ?? ""), port > 0 else {
            throw InvalidArgument("--driver must be HOST:PORT, got '\(driver)'")
        }
        let slots = arguments.int("slots")
        guard (1...1_024).contains(slots) else { throw InvalidArgument("--slots must be in 1...1024, got \(slots)") }
        let shufflePort = arguments.int("port")
        guard (0...65535).contains(shufflePort) else {
            throw InvalidArgument("--port must be in 0...65535, got \(shufflePort)")
        }
        var config = ExecutorConfig(driverAddress: driver, slots: slots)
        config.shufflePort = UInt16(shufflePort)
        config.bindHost = arguments.string("bind")
        config.advertiseHost = arguments.optionalString("advertise")
        config.secret = secret(arguments)
        let readAhead = arguments.string("read-ahead")
        guard let policy = ReadAheadPolicy(rawValue: readAhead) else {
            throw InvalidArgument("--read-ahead must be auto, on or off, got '\(readAhead)'")
        }
        config.readAhead = policy
        config.log = { line in StandardStreams.writeError("spate executor: \(line)\n") }
        if let problem = config.problem { throw InvalidArgument(problem) }
        return config
    }

    /// `--secret`, else `SPATE_SECRET`; an empty value means none.
    static func secret(_ arguments: ParsedArguments) -> String? {
        let value = arguments.optionalString("secret") ?? ProcessInfo.processInfo.environment["SPATE_SECRET"]
        return value?.isEmpty == false ? value : nil
    }

    /// Starts the executor, says where it serves shuffle blocks, and leaves cleanly on a signal.
    private static func run(_ config: ExecutorConfig) async throws -> Int32 {
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        let node = try await ExecutorNode.start(config)
        print("spate executor serving shuffle blocks on \(node.shuffleAddress), driver \(config.driverAddress)")
        fflush(nil)
        let signal = await signals.next()
        config.log?("received signal \(signal), leaving")
        await node.leave()
        return ExitCode.success
    }
}
