import Broker
import Driver
import Executor
import Foundation
import Query
import Synchronization

/// `spate run --local` in one process: the real driver on 127.0.0.1 (any port) and one in-process
/// executor with N slots, talking over loopback RPC with a fresh random secret, so a local run is
/// the cluster's own code path. The checkpoint lives in a temporary directory unless one is given.
final class LocalRun: Sendable {
    /// What to run and how.
    struct Options: Sendable {
        var sql: String
        var fileName: String
        var brokerAddress: String
        var threads: Int
        /// nil: a temporary directory, removed when the run stops.
        var checkpointDirectory: String?
        /// Relative file-sink paths resolve against it.
        var workingDirectory: String = FileManager.default.currentDirectoryPath
        var console: @Sendable (String) -> Void = { print($0, terminator: "") }
        var log: @Sendable (String) -> Void = { _ in }
        /// Told where each finished task attempt's time went (benchmarks).
        var onTaskFinished: (@Sendable (TaskTimings) -> Void)? = nil
    }

    let service: DriverService
    let executor: ExecutorNode
    let client: KafkaClient
    /// The submitted job.
    let jobId: String
    let temporaryCheckpoint: String?

    private init(
        service: DriverService, executor: ExecutorNode, client: KafkaClient, jobId: String, temporaryCheckpoint: String?
    ) {
        self.service = service
        self.executor = executor
        self.client = client
        self.jobId = jobId
        self.temporaryCheckpoint = temporaryCheckpoint
    }

    /// Starts the driver and the executor and submits the job; a job that does not compile is
    /// refused with the compiler's message before anything starts.
    static func start(_ options: Options) async throws -> LocalRun {
        _ = try QueryCompiler.compile(options.sql, fileName: options.fileName)
        let temporary = options.checkpointDirectory == nil ? try makeTemporaryDirectory() : nil
        let secret = randomSecret()
        var config = DriverConfig(
            checkpointDirectory: options.checkpointDirectory ?? temporary ?? "", brokerAddress: options.brokerAddress,
            rpcPort: 0, httpPort: nil, secret: secret, workingDirectory: options.workingDirectory,
            console: options.console, log: options.log)
        config.heartbeatIntervalMs = 500
        let client = try KafkaClient(bootstrap: options.brokerAddress, clientId: "spate-run-local")
        let service = try DriverService(config: config) { _ in KafkaDriverBroker(client: client) }
        try await onThread { () throws(DriverError) in try service.start() }
        guard let address = service.rpcAddress else { throw LocalRunError("the driver did not report its address") }
        var executorConfig = ExecutorConfig(driverAddress: "127.0.0.1:\(address.port)", slots: options.threads)
        executorConfig.secret = secret
        executorConfig.log = options.log
        executorConfig.onTaskFinished = options.onTaskFinished
        let executor = try await ExecutorNode.start(executorConfig)
        do {
            guard await executor.registered(timeoutMs: 30_000) != nil else {
                throw LocalRunError("the executor did not register with the driver within 30 s")
            }
            let jobId = try await onThread { () throws(DriverError) in
                try service.submit(name: nil, sql: options.sql, fileName: options.fileName)
            }
            return LocalRun(
                service: service, executor: executor, client: client, jobId: jobId, temporaryCheckpoint: temporary)
        } catch {
            await executor.stop()
            await service.shutdown()
            client.close()
            throw error
        }
    }

    /// The job as the driver sees it.
    var snapshot: JobSnapshot? { service.jobSnapshots.first { $0.jobId == jobId } }

    /// Stops the executor, then the driver (the batch in flight stays uncommitted and reruns on the
    /// next start with the same checkpoint); removes a temporary checkpoint.
    func stop() async {
        await executor.stop()
        await service.shutdown()
        client.close()
        if let temporaryCheckpoint { try? FileManager.default.removeItem(atPath: temporaryCheckpoint) }
    }

    private static func makeTemporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "spate-local-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// 32 random hex digits: only this process knows them, so nothing else on the machine can
    /// talk to the loopback driver.
    private static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// Why a local run could not start.
struct LocalRunError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
