import Broker
import Dispatch
import Foundation
import Synchronization
import Wire

/// `spate broker`: runs the Kafka-compatible broker until SIGTERM or SIGINT.
enum BrokerCommand {
    static let spec = CommandSpec(
        name: "broker",
        summary: "Run Spate's Kafka-compatible broker",
        description: """
            Run Spate's Kafka-compatible broker. Kafka clients (kafka-python, librdkafka) connect to it \
            unchanged. Topics are created on first use with --partitions partitions. Prints one line once \
            it is listening (and, with --http-port, a second line with its metrics address); SIGTERM or \
            SIGINT stop it cleanly (exit code 0).
            """,
        flags: [
            .int("port", default: 9092, valueName: "PORT", help: "port to listen on; 0 picks a free one"),
            .string("bind", default: "127.0.0.1", valueName: "HOST", help: "address to listen on"),
            .string(
                "advertise", valueName: "HOST", help: "host clients are told to connect to (default: the bind address)"),
            .string(
                "data-dir", default: "./spate-data/broker", valueName: "DIR",
                help: "where topics and offsets are stored"),
            .int("partitions", default: 3, help: "partitions of automatically created topics"),
            .int("segment-bytes", default: 1 << 30, help: "size at which a partition starts a new segment file"),
            .int("retention-ms", default: 7 * 24 * 3_600_000, help: "remove segments older than this; -1 keeps them"),
            .int("retention-bytes", default: -1, help: "keep each partition under about this size; -1 means no limit"),
            .string("fsync", default: "interval:1000", valueName: "POLICY", help: "always, or interval:MS"),
            .int("group-initial-delay-ms", default: 3000, help: "how long a new consumer group waits for more members"),
            .int(
                "http-port", valueName: "PORT",
                help: "serve Prometheus metrics at GET /metrics on this port; 0 picks one (default: off)"),
        ],
        handler: { arguments in try await run(try config(from: arguments), httpPort: try httpPort(arguments)) })

    /// The `--http-port` flag: nil when absent.
    static func httpPort(_ arguments: ParsedArguments) throws -> UInt16? {
        guard let port = arguments.optionalInt("http-port") else { return nil }
        guard (0...65535).contains(port) else { throw InvalidArgument("--http-port must be in 0...65535, got \(port)") }
        return UInt16(port)
    }

    /// The broker configuration the flags describe; bad values are usage errors.
    static func config(from arguments: ParsedArguments) throws -> BrokerConfig {
        let port = arguments.int("port")
        guard (0...65535).contains(port) else { throw InvalidArgument("--port must be in 0...65535, got \(port)") }
        let partitions = arguments.int("partitions")
        guard (1...10_000).contains(partitions) else {
            throw InvalidArgument("--partitions must be in 1...10000, got \(partitions)")
        }
        let segmentBytes = arguments.int("segment-bytes")
        guard (1024...Int(Int32.max)).contains(segmentBytes) else {
            throw InvalidArgument("--segment-bytes must be in 1024...\(Int32.max), got \(segmentBytes)")
        }
        let log = LogConfig(
            segmentBytes: segmentBytes, retentionMs: try limit("retention-ms", arguments),
            retentionBytes: try limit("retention-bytes", arguments), fsync: try fsyncPolicy(arguments.string("fsync")))
        let delayMs = arguments.int("group-initial-delay-ms")
        guard (0...300_000).contains(delayMs) else {
            throw InvalidArgument("--group-initial-delay-ms must be in 0...300000, got \(delayMs)")
        }
        var config = BrokerConfig(
            dataDirectory: absolutePath(arguments.string("data-dir")), bindHost: arguments.string("bind"),
            port: UInt16(port), advertisedHost: arguments.optionalString("advertise"),
            defaultPartitions: Int32(partitions), log: log,
            groups: GroupCoordinatorConfig(initialRebalanceDelayMs: Int64(delayMs)))
        config.eventLog = { line in StandardStreams.writeError("spate broker: \(line)\n") }
        if let problem = config.problem { throw InvalidArgument(problem) }
        return config
    }

    /// A retention flag: -1 means none, anything else must be positive.
    private static func limit(_ name: String, _ arguments: ParsedArguments) throws -> Int64? {
        let value = arguments.int(name)
        if value == -1 { return nil }
        guard value > 0 else { throw InvalidArgument("--\(name) must be positive or -1, got \(value)") }
        return Int64(value)
    }

    /// `always` or `interval:MS`.
    static func fsyncPolicy(_ text: String) throws -> FsyncPolicy {
        if text == "always" { return .always }
        if text.hasPrefix("interval:"), let ms = Int64(text.dropFirst("interval:".count)), ms > 0 {
            return .interval(ms: ms)
        }
        throw InvalidArgument("--fsync must be 'always' or 'interval:MS' with MS > 0, got '\(text)'")
    }

    private static func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Starts the broker (and its metrics server), prints where they listen, and stops them cleanly
    /// on SIGTERM or SIGINT.
    private static func run(_ config: BrokerConfig, httpPort: UInt16?) async throws -> Int32 {
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        let broker = try await onThread { () throws(BrokerError) in try KafkaBroker.start(config) }
        let metricsServer: HTTPServer?
        do {
            metricsServer = try httpPort.map { port in
                try HTTPServer(
                    listeningOn: try SocketAddress(host: config.bindHost, port: port),
                    router: BrokerMetricsExporter(broker: broker).router())
            }
        } catch {
            await onThread { broker.stop() }
            throw MetricsListenError(
                description: "cannot serve metrics on \(config.bindHost):\(httpPort ?? 0): \(error)")
        }
        // The first line keeps its exact form: scripts and tests parse it.
        print("spate broker listening on \(broker.address) (data: \(config.dataDirectory))")
        if let metricsServer { print("spate broker metrics on http://\(metricsServer.address)/metrics") }
        // stdout is a pipe under a supervisor or a test, where print alone would sit in a buffer.
        fflush(nil)
        let signal = await signals.next()
        config.eventLog?("received signal \(signal), stopping")
        await metricsServer?.stop()
        await onThread { broker.stop() }
        return ExitCode.success
    }
}

/// The metrics server of `spate broker --http-port` could not listen.
struct MetricsListenError: Error, CustomStringConvertible {
    let description: String
}

/// Runs blocking work (opening logs, joining threads) on a thread of its own, off Swift's shared pool.
func onThread<Value: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> Value)
    async throws(Failure) -> Value
{
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, Failure>, Never>) in
        Thread { continuation.resume(returning: Result(catching: body)) }.start()
    }
    return try result.get()
}

/// Turns SIGTERM and SIGINT into an awaitable event instead of killing the process.
final class SignalWaiter {
    /// The first signal and the task waiting for it, shared with the signal handlers.
    private final class State: Sendable {
        let value = Mutex<(fired: Int32?, waiter: CheckedContinuation<Int32, Never>?)>((nil, nil))
    }

    private let sources: [any DispatchSourceSignal]
    private let state = State()

    init(signals: [Int32]) {
        for number in signals { signal(number, SIG_IGN) }
        sources = signals.map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        for (source, number) in zip(sources, signals) {
            source.setEventHandler { [state] in
                let waiter = state.value.withLock { state -> CheckedContinuation<Int32, Never>? in
                    guard state.fired == nil else { return nil }
                    state.fired = number
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume(returning: number)
            }
            source.resume()
        }
    }

    /// The first signal received, waiting for it if none came yet.
    func next() async -> Int32 {
        await withCheckedContinuation { continuation in
            let fired = state.value.withLock { state -> Int32? in
                if let fired = state.fired { return fired }
                state.waiter = continuation
                return nil
            }
            if let fired { continuation.resume(returning: fired) }
        }
    }
}
