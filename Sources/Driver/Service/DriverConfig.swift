import Foundation

/// How `spate driver` runs.
public struct DriverConfig: Sendable {
    /// Where job checkpoints live.
    public var checkpointDirectory: String
    /// The Kafka broker, "host:port".
    public var brokerAddress: String
    /// The address both servers listen on.
    public var bindHost: String
    /// The RPC port (executors and the CLI); 0 picks a free one.
    public var rpcPort: UInt16
    /// The HTTP port (metrics, API, web page); 0 picks a free one, nil serves no HTTP.
    public var httpPort: UInt16?
    /// The shared secret every connection must prove, or nil for none.
    public var secret: String?
    /// An executor silent this long is lost.
    public var heartbeatTimeoutMs: Int64
    /// How often executors are told to heartbeat.
    public var heartbeatIntervalMs: Int32
    /// Relative file-sink paths resolve against this directory.
    public var workingDirectory: String
    /// With no new data, how often a job asks the broker again.
    public var pollIntervalMs: Int64
    /// How long `spate stop` lets the current batch finish before abandoning it uncommitted.
    public var stopGraceMs: Int = 30_000
    /// How long a state fetch waits for that version's commit, written while the next batch runs.
    public var stateWaitMs: Int = 30_000
    /// Where console sinks print.
    public var console: @Sendable (String) -> Void
    /// Where the driver's log lines go.
    public var log: @Sendable (String) -> Void

    /// A configuration with defaults: loopback, ports 7077 and 4040, no secret, 5 s heartbeat timeout.
    public init(
        checkpointDirectory: String, brokerAddress: String, bindHost: String = "127.0.0.1", rpcPort: UInt16 = 7077,
        httpPort: UInt16? = 4040, secret: String? = nil, heartbeatTimeoutMs: Int64 = 5000,
        heartbeatIntervalMs: Int32 = 1000, workingDirectory: String = FileManager.default.currentDirectoryPath,
        pollIntervalMs: Int64 = 50, console: @escaping @Sendable (String) -> Void = { print($0, terminator: "") },
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.checkpointDirectory = checkpointDirectory
        self.brokerAddress = brokerAddress
        self.bindHost = bindHost
        self.rpcPort = rpcPort
        self.httpPort = httpPort
        self.secret = secret
        self.heartbeatTimeoutMs = heartbeatTimeoutMs
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.workingDirectory = workingDirectory
        self.pollIntervalMs = pollIntervalMs
        self.console = console
        self.log = log
    }

    /// True when the servers listen beyond this machine without a secret: anyone who can reach
    /// them can submit jobs.
    public var isExposedWithoutSecret: Bool {
        secret == nil && !["127.0.0.1", "localhost", "::1"].contains(bindHost)
    }
}
