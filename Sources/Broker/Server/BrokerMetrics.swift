import Synchronization

/// A point-in-time copy of the broker's counters, for the metrics endpoint and for tests.
public struct BrokerMetricsSnapshot: Equatable, Sendable {
    /// Traffic of one topic.
    public struct TopicTraffic: Equatable, Sendable {
        /// Record batch bytes appended by Produce.
        public var bytesIn: Int64
        /// Records appended by Produce.
        public var recordsIn: Int64
        /// Record batch bytes returned by Fetch (whole batches, as sent) or located by a local read.
        public var bytesOut: Int64
        /// Records in the batches returned by Fetch or located by a local read.
        public var recordsOut: Int64
    }

    /// Per topic, by name.
    public var topics: [String: TopicTraffic]
    /// Requests decoded and served, per API.
    public var requestsByApi: [ApiKey: Int64]
    /// Frames refused: unknown API key or version, malformed, truncated or oversized.
    public var rejectedRequests: Int64
    /// Connections open now.
    public var openConnections: Int
    /// Connections accepted since start.
    public var acceptedConnections: Int64
    /// Consumer groups the coordinator tracks (live members or committed offsets).
    public var groupCount: Int
    /// SpateLocalRead requests served (Spate's own key, so not in `requestsByApi`).
    public var localReadRequests: Int64 = 0
}

/// The broker-wide counters; topic traffic lives in each `BrokerTopic`.
final class BrokerCounters: Sendable {
    /// Indexed by api key; every key Spate serves is below this.
    private static let slots = 64
    private let requests = Mutex([Int64](repeating: 0, count: slots))
    let rejectedRequests = Atomic<Int64>(0)
    let localReadRequests = Atomic<Int64>(0)
    let openConnections = Atomic<Int>(0)
    let acceptedConnections = Atomic<Int64>(0)

    func countRequest(_ key: ApiKey) {
        precondition(Int(key.rawValue) < Self.slots, "api key \(key.rawValue) has no counter slot")
        requests.withLock { $0[Int(key.rawValue)] += 1 }
    }

    var requestsByApi: [ApiKey: Int64] {
        let counts = requests.withLock { counts in ApiKey.allCases.map { counts[Int($0.rawValue)] } }
        return Dictionary(uniqueKeysWithValues: zip(ApiKey.allCases, counts).filter { $0.1 > 0 })
    }
}
