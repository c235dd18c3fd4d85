import Query
import Wire

/// A registered executor as the driver knows it.
public struct ExecutorRecord: Sendable {
    /// The id minted at registration.
    public let executorId: String
    /// Host and pid, for people.
    public let name: String
    /// Tasks it runs at once.
    public let slots: Int
    /// Where its shuffle server listens.
    public let shuffleHost: String
    /// The shuffle server's port.
    public let shufflePort: UInt16
    /// Its process id.
    public let pid: Int32
    /// Monotonic time of registration.
    public let registeredAtMs: Int64
    /// The connection it registered on; closing it is how the driver lets go of the executor.
    let connection: RPCConnection
}

/// A registered executor for status pages.
public struct ExecutorSummary: Sendable, Equatable {
    /// Its id.
    public var executorId: String
    /// Host and pid.
    public var name: String
    /// Slots offered.
    public var slots: Int
    /// Attempts running on it.
    public var runningTasks: Int
    /// Whether it is finishing its tasks before leaving.
    public var draining: Bool
    /// Milliseconds since its last heartbeat.
    public var heartbeatAgeMs: Int64
    /// Its shuffle server, "host:port".
    public var shuffleAddress: String
    /// Its process id.
    public var pid: Int32
    /// Attempts it ran to a successful end, whether or not their results were still wanted.
    public var completedTasks: Int = 0
}
