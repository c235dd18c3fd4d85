import Broker

/// A record the driver appends to a topic (sink rows, dead letters).
public struct OutgoingRecord: Sendable, Equatable {
    /// The key; nil for none.
    public var key: [UInt8]?
    /// The value.
    public var value: [UInt8]
    /// The headers, which carry the job, batch and sequence number used to skip records a replay
    /// already wrote.
    public var headers: [RecordHeader]

    /// A record.
    public init(key: [UInt8]?, value: [UInt8], headers: [RecordHeader]) {
        self.key = key
        self.value = value
        self.headers = headers
    }
}

/// Why a broker operation failed.
public struct DriverBrokerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What failed and why.
    public var message: String

    /// An error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// What the driver needs from the broker: the source's offsets, and appending to (and reading the
/// tail of) sink and dead-letter topics. Blocking; called from the job's own thread. A protocol so
/// the job loop is testable with an in-memory broker.
public protocol DriverBroker: Sendable {
    /// Earliest and latest offsets of every partition of `topic`; empty when the topic does not exist.
    func partitionOffsets(topic: String) throws(DriverBrokerError) -> [PartitionOffsets]
    /// How many partitions `topic` has, creating it with the broker's default when it does not exist.
    func partitionCount(topic: String) throws(DriverBrokerError) -> Int32
    /// Appends `records` to one partition, in order, and returns once every one is acknowledged.
    func produce(topic: String, partition: Int32, records: [OutgoingRecord]) throws(DriverBrokerError)
    /// The headers of the last `recordsMax` records of a partition, oldest first.
    func tailHeaders(topic: String, partition: Int32, recordsMax: Int) throws(DriverBrokerError) -> [[RecordHeader]]
}
