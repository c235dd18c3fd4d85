import Foundation
import Wire

/// Settings of one executor process (or of the in-process executor behind `spate run --local`).
public struct ExecutorConfig: Sendable {
    /// The driver's RPC address, "host:port".
    public var driverAddress: String
    /// Tasks run at once, each on a dedicated thread.
    public var slots: Int
    /// Address the shuffle server listens on.
    public var bindHost: String
    /// Port of the shuffle server; 0 picks a free one.
    public var shufflePort: UInt16
    /// Host other executors reach the shuffle server at; nil: the bind address, or (bound to a
    /// wildcard) the local address of the connection to the driver.
    public var advertiseHost: String?
    /// Shared secret for the driver and for peers' shuffle fetches; nil: no authentication.
    public var secret: String?
    /// A human-readable name for the driver's status pages.
    public var name: String
    /// Shuffle bytes kept in memory before a map task fails rather than store more.
    public var shuffleBytesMax: Int
    /// Memory one state partition may hold.
    public var stateBytesMax: Int
    /// State partitions kept in memory between batches (least recently used go first).
    public var cachedStatesMax: Int
    /// Compiled jobs kept (least recently used go first).
    public var cachedPlansMax: Int
    /// Tasks queued behind busy slots before new ones are refused.
    public var queuedTasksMax: Int
    /// The most bytes asked of the broker in one fetch; each fetch is sized to what the rest of
    /// its range needs (at most the client's 256 MiB response limit).
    public var fetchBytesMax: Int32
    /// Bytes of fetched records one map task may hold; a larger range fails the task with a message
    /// that points at the job's `max_records_per_batch`.
    public var taskInputBytesMax: Int
    /// Whether map tasks fetch their partition's next range while they work (default `.auto`:
    /// only when `slots` is below the machine's cores).
    public var readAhead: ReadAheadPolicy
    /// How long a map task waits for records the broker does not have yet.
    public var sourceWaitMs: Int
    /// Deadline of one shuffle block or state fetch.
    public var fetchTimeoutMs: Int
    /// How long a leaving executor, its tasks done, waits for the driver to release it (close the
    /// connection) once no batch needs its shuffle output.
    public var leaveTimeoutMs: Int
    /// First pause before reconnecting to the driver; doubles up to `reconnectBackoffMaxMs`.
    public var reconnectBackoffMs: Int
    /// Longest pause between connection attempts.
    public var reconnectBackoffMaxMs: Int
    /// Limits and timeouts of the RPC connections (driver, shuffle server, peers).
    public var rpc: RPCOptions
    /// Told where each finished attempt's time went (on the slot thread; keep it quick).
    public var onTaskFinished: (@Sendable (TaskTimings) -> Void)?
    /// Receives one line per notable event (waiting for the driver, registered, lost the driver).
    public var log: (@Sendable (String) -> Void)?

    /// A configuration for an executor of the driver at `driverAddress` with defaults for the rest.
    public init(driverAddress: String, slots: Int = 1) {
        self.driverAddress = driverAddress
        self.slots = slots
        bindHost = "127.0.0.1"
        shufflePort = 0
        advertiseHost = nil
        secret = nil
        name = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)"
        shuffleBytesMax = 2 << 30
        stateBytesMax = 1 << 30
        cachedStatesMax = 4_096
        cachedPlansMax = 64
        queuedTasksMax = 1_024
        fetchBytesMax = 240 << 20
        taskInputBytesMax = 1 << 30
        readAhead = .auto
        sourceWaitMs = 10_000
        fetchTimeoutMs = 30_000
        leaveTimeoutMs = 30_000
        reconnectBackoffMs = 100
        reconnectBackoffMaxMs = 5_000
        rpc = RPCOptions()
        rpc.name = "spate-executor"
        log = nil
        onTaskFinished = nil
    }

    /// Why this configuration cannot work, or nil when it can.
    public var problem: String? {
        if driverAddress.isEmpty { return "no driver address given" }
        if !(1...1_024).contains(slots) { return "slots must be in 1...1024, got \(slots)" }
        if shuffleBytesMax < 1 || stateBytesMax < 1 || taskInputBytesMax < 1 { return "memory limits must be positive" }
        if cachedStatesMax < 0 || cachedPlansMax < 1 || queuedTasksMax < 0 {
            return "cache and queue sizes are out of range"
        }
        if fetchBytesMax < 1 << 16 || fetchBytesMax > 250 << 20 { return "fetchBytesMax must be in 64 KiB...250 MiB" }
        if sourceWaitMs < 0 || fetchTimeoutMs < 1 || leaveTimeoutMs < 0 {
            return "sourceWaitMs and leaveTimeoutMs must not be negative, fetchTimeoutMs must be positive"
        }
        if reconnectBackoffMs < 1 || reconnectBackoffMaxMs < reconnectBackoffMs {
            return "reconnect backoffs must be positive, the maximum not below the first"
        }
        return nil
    }
}
