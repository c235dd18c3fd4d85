import Wire

/// A decoded request body of any API Spate serves; the broker switches on it.
public enum KafkaRequest: Equatable, Sendable {
    case produce(ProduceRequest)
    case fetch(FetchRequest)
    case listOffsets(ListOffsetsRequest)
    case metadata(MetadataRequest)
    case offsetCommit(OffsetCommitRequest)
    case offsetFetch(OffsetFetchRequest)
    case findCoordinator(FindCoordinatorRequest)
    case joinGroup(JoinGroupRequest)
    case heartbeat(HeartbeatRequest)
    case leaveGroup(LeaveGroupRequest)
    case syncGroup(SyncGroupRequest)
    case apiVersions(ApiVersionsRequest)
    case createTopics(CreateTopicsRequest)
    case initProducerId(InitProducerIdRequest)

    /// The body as its concrete message type.
    public var message: any KafkaRequestMessage {
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
        -> KafkaRequest
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

    /// Decodes one request frame (header + body, without the 4-byte size prefix).
    ///
    /// Versions outside `versions` are refused before the header is parsed, so an ApiVersions
    /// request in an unknown flexible layout still yields its prefix for the error-35 reply.
    /// Bytes left after the body are tolerated, as Kafka tolerates them, unless `strict`.
    public static func decode(
        frame: [UInt8], versions: ApiVersionTable = .recommended, strict: Bool = false
    ) throws(KafkaRequestError) -> (header: KafkaRequestHeader, request: KafkaRequest) {
        let prefix: RequestPrefix
        do { prefix = try RequestPrefix.peek(frame) } catch { throw .truncatedPrefix(error) }
        guard let key = ApiKey(rawValue: prefix.apiKey) else { throw .unknownApiKey(prefix) }
        guard versions.supports(key, version: prefix.apiVersion) else { throw .unsupportedVersion(key, prefix) }
        var reader = ByteReader(frame)
        do throws(DecodeError) {
            let header = try KafkaRequestHeader.decode(from: &reader)
            let request = try decodeBody(key, version: prefix.apiVersion, from: &reader)
            if strict && !reader.isAtEnd {
                throw DecodeError.invalidValue(
                    "\(reader.readableBytes) unread bytes after the body", at: reader.readerIndex)
            }
            return (header, request)
        } catch {
            throw .malformed(key, prefix, error)
        }
    }
}
