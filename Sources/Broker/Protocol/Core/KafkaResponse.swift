import Wire

/// A response body of any API Spate serves, so handlers can return one type.
public enum KafkaResponse: Equatable, Sendable {
    case produce(ProduceResponse)
    case fetch(FetchResponse)
    case listOffsets(ListOffsetsResponse)
    case metadata(MetadataResponse)
    case offsetCommit(OffsetCommitResponse)
    case offsetFetch(OffsetFetchResponse)
    case findCoordinator(FindCoordinatorResponse)
    case joinGroup(JoinGroupResponse)
    case heartbeat(HeartbeatResponse)
    case leaveGroup(LeaveGroupResponse)
    case syncGroup(SyncGroupResponse)
    case apiVersions(ApiVersionsResponse)
    case createTopics(CreateTopicsResponse)
    case initProducerId(InitProducerIdResponse)

    /// The body as its concrete message type.
    public var message: any KafkaResponseMessage {
        switch self {
        case .produce(let body): body
        case .fetch(let body): body
        case .listOffsets(let body): body
        case .metadata(let body): body
        case .offsetCommit(let body): body
        case .offsetFetch(let body): body
        case .findCoordinator(let body): body
        case .joinGroup(let body): body
        case .heartbeat(let body): body
        case .leaveGroup(let body): body
        case .syncGroup(let body): body
        case .apiVersions(let body): body
        case .createTopics(let body): body
        case .initProducerId(let body): body
        }
    }

    /// The API of the body.
    public var apiKey: ApiKey { type(of: message).apiKey }

    /// Encodes the body alone at `version`.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        message.encode(into: &writer, version: version)
    }

    /// Decodes the body of `key` at `version`.
    public static func decodeBody(_ key: ApiKey, version: Int16, from reader: inout ByteReader) throws(DecodeError)
        -> KafkaResponse
    {
        switch key {
        case .produce: .produce(try .decode(from: &reader, version: version))
        case .fetch: .fetch(try .decode(from: &reader, version: version))
        case .listOffsets: .listOffsets(try .decode(from: &reader, version: version))
        case .metadata: .metadata(try .decode(from: &reader, version: version))
        case .offsetCommit: .offsetCommit(try .decode(from: &reader, version: version))
        case .offsetFetch: .offsetFetch(try .decode(from: &reader, version: version))
        case .findCoordinator: .findCoordinator(try .decode(from: &reader, version: version))
        case .joinGroup: .joinGroup(try .decode(from: &reader, version: version))
        case .heartbeat: .heartbeat(try .decode(from: &reader, version: version))
        case .leaveGroup: .leaveGroup(try .decode(from: &reader, version: version))
        case .syncGroup: .syncGroup(try .decode(from: &reader, version: version))
        case .apiVersions: .apiVersions(try .decode(from: &reader, version: version))
        case .createTopics: .createTopics(try .decode(from: &reader, version: version))
        case .initProducerId: .initProducerId(try .decode(from: &reader, version: version))
        }
    }
}
