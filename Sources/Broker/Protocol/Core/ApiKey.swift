/// The Kafka APIs Spate's broker and client speak, keyed by their wire `api_key`.
///
/// Each case carries the versions its codec handles (`codecVersions`), the versions Spate
/// advertises by default (`advertisedVersions`, KAFKA-PROTOCOL.md §1) and the first flexible
/// version, which decides the header layouts.
public enum ApiKey: Int16, CaseIterable, Sendable, CustomStringConvertible {
    case produce = 0
    case fetch = 1
    case listOffsets = 2
    case metadata = 3
    case offsetCommit = 8
    case offsetFetch = 9
    case findCoordinator = 10
    case joinGroup = 11
    case heartbeat = 12
    case leaveGroup = 13
    case syncGroup = 14
    case apiVersions = 18
    case createTopics = 19
    case initProducerId = 22

    /// Kafka's name for the API, as in its message schemas.
    public var description: String {
        switch self {
        case .produce: "Produce"
        case .fetch: "Fetch"
        case .listOffsets: "ListOffsets"
        case .metadata: "Metadata"
        case .offsetCommit: "OffsetCommit"
        case .offsetFetch: "OffsetFetch"
        case .findCoordinator: "FindCoordinator"
        case .joinGroup: "JoinGroup"
        case .heartbeat: "Heartbeat"
        case .leaveGroup: "LeaveGroup"
        case .syncGroup: "SyncGroup"
        case .apiVersions: "ApiVersions"
        case .createTopics: "CreateTopics"
        case .initProducerId: "InitProducerId"
        }
    }

    /// Every version the request and response codecs can decode and encode.
    public var codecVersions: ClosedRange<Int16> {
        switch self {
        // ApiVersions v3/v4 are flexible; supporting them saves clients a round trip (§1 last bullet).
        case .apiVersions: 0...4
        default: advertisedVersions
        }
    }

    /// The versions KAFKA-PROTOCOL.md §1 recommends advertising ("Advertise min–max").
    public var advertisedVersions: ClosedRange<Int16> {
        switch self {
        // v0–2 are advertise-only (G1: old librdkafka needs v0 inside the range for compression);
        // the codec still handles them since they only drop fields.
        case .produce: 0...8
        case .fetch: 4...11
        case .listOffsets: 1...5
        case .metadata: 0...8
        case .offsetCommit: 2...7
        case .offsetFetch: 1...5
        case .findCoordinator: 0...2
        case .joinGroup: 0...5
        case .heartbeat: 0...3
        case .leaveGroup: 0...3
        case .syncGroup: 0...3
        case .apiVersions: 0...2
        case .createTopics: 2...4
        case .initProducerId: 0...1
        }
    }

    /// The first version that uses compact encodings and tagged fields.
    public var firstFlexibleVersion: Int16 {
        switch self {
        case .produce: 9
        case .fetch: 12
        case .listOffsets: 6
        case .metadata: 9
        case .offsetCommit: 8
        case .offsetFetch: 6
        case .findCoordinator: 3
        case .joinGroup: 6
        case .heartbeat: 4
        case .leaveGroup: 4
        case .syncGroup: 4
        case .apiVersions: 3
        case .createTopics: 5
        case .initProducerId: 2
        }
    }

    /// True when `version` uses the flexible (compact, tagged) encoding.
    public func isFlexible(_ version: Int16) -> Bool { version >= firstFlexibleVersion }

    /// Request header version for `version`: 2 for flexible requests, else 1.
    public func requestHeaderVersion(_ version: Int16) -> Int16 { isFlexible(version) ? 2 : 1 }

    /// Response header version for `version`: 1 for flexible responses, else 0.
    /// ApiVersions always answers with header v0 so clients can read it before negotiating.
    public func responseHeaderVersion(_ version: Int16) -> Int16 {
        self != .apiVersions && isFlexible(version) ? 1 : 0
    }
}
