import Broker
import Driver
import Foundation

/// `spate driver`: runs the job service (RPC for executors and the CLI, HTTP for status) until
/// SIGTERM or SIGINT.
enum DriverCommand {
    static let spec = CommandSpec(
        name: "driver",
        summary: "Run the driver: the job service executors and the CLI connect to",
        description: """
            Run the Spate driver. It accepts jobs (spate submit), plans each micro-batch as stages of \
            tasks, runs them on the executors that connect to it, and keeps every job's offsets, commits \
            and state in the checkpoint directory; jobs marked running there are resumed at start. Prints \
            one line once it is listening; SIGTERM or SIGINT stop it cleanly (exit code 0), leaving running \
            jobs to resume on the next start.
            """,
        flags: [
            .string("checkpoint-dir", required: true, valueName: "DIR", help: "where job checkpoints are kept"),
            .string("broker", required: true, valueName: "HOST:PORT", help: "the Kafka broker jobs read and write"),
            .int("port", default: 7077, valueName: "PORT", help: "RPC port for executors and the CLI; 0 picks one"),
            .int("http-port", default: 4040, valueName: "PORT", help: "HTTP port for status and metrics; 0 picks one"),
            .string("bind", default: "127.0.0.1", valueName: "HOST", help: "address both servers listen on"),
            .string("secret", valueName: "S", help: "shared secret every connection must prove (or SPATE_SECRET)"),
            .int("heartbeat-timeout-ms", default: 5000, valueName: "MS", help: "lose an executor silent this long"),
        ],
        handler: { arguments in try await run(try config(from: arguments)) })

    /// The driver configuration the flags describe; bad values are usage errors.
    static func config(from arguments: ParsedArguments) throws -> DriverConfig {
        let rpcPort = try port("port", arguments)
        let httpPort = try port("http-port", arguments)
        let timeoutMs = arguments.int("heartbeat-timeout-ms")
        guard (100...3_600_000).contains(timeoutMs) else {
            throw InvalidArgument("--heartbeat-timeout-ms must be in 100...3600000, got \(timeoutMs)")
        }
        let broker = arguments.string("broker")
        do {
            _ = try KafkaClient.parseAddress(broker)
        } catch {
            throw InvalidArgument("--broker must be HOST:PORT, got '\(broker)'")
        }
        let directory = absolutePath(arguments.string("checkpoint-dir"))
        var config = DriverConfig(
            checkpointDirectory: directory, brokerAddress: broker, bindHost: arguments.string("bind"),
            rpcPort: rpcPort, httpPort: httpPort, secret: secret(arguments),
            heartbeatTimeoutMs: Int64(timeoutMs),
            heartbeatIntervalMs: Int32(max(100, min(1000, timeoutMs / 5))))
        config.console = { text in
            print(text, terminator: "")
            fflush(nil)
        }
        config.log = { line in StandardStreams.writeError("spate driver: \(line)\n") }
        return config
    }

    private static func port(_ name: String, _ arguments: ParsedArguments) throws -> UInt16 {
        let value = arguments.int(name)
        guard (0...65535).contains(value) else { throw InvalidArgument("--\(name) must be in 0...65535, got \(value)") }
        return UInt16(value)
    }

    private static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
    }

    /// Starts the driver, prints where it listens, and stops it cleanly on SIGTERM or SIGINT.
    private static func run(_ config: DriverConfig) async throws -> Int32 {
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        if config.isExposedWithoutSecret {
            StandardStreams.writeError(
                """
                spate driver: WARNING: listening on \(config.bindHost) without a secret: anyone who can reach \
                this address can submit and stop jobs and register executors. Pass --secret (or set \
                SPATE_SECRET) on the driver, the executors and the CLI.

                """)
        }
        let client = try KafkaClient(bootstrap: config.brokerAddress, clientId: "spate-driver")
        let service = try DriverService(config: config) { _ in KafkaDriverBroker(client: client) }
        try await onThread { () throws(DriverError) in try service.start() }
        let rpc = service.rpcAddress.map { "\($0)" } ?? "?"
        let http = service.httpAddress.map { "http \($0)" } ?? "no http"
        print("spate driver listening on \(rpc) (\(http), checkpoint \(config.checkpointDirectory))")
        fflush(nil)
        let signal = await signals.next()
        config.log("received signal \(signal), stopping")
        await service.shutdown()
        client.close()
        return ExitCode.success
    }
}

/// The `--secret` flag, else the SPATE_SECRET environment variable; nil when neither is set.
func secret(_ arguments: ParsedArguments) -> String? {
    if let flag = arguments.optionalString("secret"), !flag.isEmpty { return flag }
    if let variable = ProcessInfo.processInfo.environment["SPATE_SECRET"], !variable.isEmpty { return variable }
    return nil
}
