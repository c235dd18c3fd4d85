import Synchronization
import Wire

/// The broker's shared state and request dispatch; one instance serves every connection thread.
final class BrokerCore: Sendable {
    let config: BrokerConfig
    let topics: TopicStore
    let producerIds: ProducerIdAllocator
    let groups: GroupShell
    let appendSignal = AppendSignal()
    let counters = BrokerCounters()
    /// Host and port Metadata and FindCoordinator send clients to.
    let advertisedHost: String
    let advertisedPort: Int32
    /// Sent with local-read answers, proving to a reader that it sees this broker's files.
    let hostToken: HostToken

    init(
        config: BrokerConfig, topics: TopicStore, producerIds: ProducerIdAllocator, groups: GroupShell,
        advertisedHost: String, advertisedPort: Int32, hostToken: HostToken
    ) {
        self.config = config
        self.topics = topics
        self.producerIds = producerIds
        self.groups = groups
        self.advertisedHost = advertisedHost
        self.advertisedPort = advertisedPort
        self.hostToken = hostToken
    }

    /// Decodes one request frame (without its size prefix) and serves it.
    func handle(frame: [UInt8], clientHost: String) -> RequestReply {
        // Spate's own request, outside Kafka's keys; with it switched off it is refused as unknown.
        if config.servesLocalReads, (try? RequestPrefix.peek(frame))?.apiKey == LocalReadApi.apiKey {
            return handleLocalRead(frame: frame)
        }
        let header: KafkaRequestHeader
        let request: KafkaRequest
        do {
            (header, request) = try KafkaRequest.decode(frame: frame, versions: config.apiVersions)
        } catch {
            counters.rejectedRequests.add(1, ordering: .relaxed)
            if case .unsupportedVersion(.apiVersions, let prefix) = error {
                // G5: a v0 body with error 35 and our own range, and the connection stays open.
                return .respond([
                    .bytes(
                        KafkaFrame.apiVersionsUnsupported(
                            correlationId: prefix.correlationId, table: config.apiVersions))
                ])
            }
            return .close(error.description)
        }
        counters.countRequest(request.apiKey)
        return serve(request, header: header, clientHost: clientHost)
    }

    private func serve(_ request: KafkaRequest, header: KafkaRequestHeader, clientHost: String) -> RequestReply {
        let version = header.apiVersion
        func reply(_ response: KafkaResponse) -> RequestReply {
            .respond([.bytes(KafkaFrame.response(response, version: version, correlationId: header.correlationId))])
        }
        switch request {
        case .produce(let body):
            // G1: v0–2 are advertised for old librdkafka's compression check only; they carry legacy MessageSets.
            guard version >= 3 else { return .close("Produce v\(version) (legacy message sets) is not served") }
            guard let response = produce(body) else { return .silent }
            return reply(.produce(response))
        case .fetch(let body):
            return .respond(fetch(body, version: version, correlationId: header.correlationId))
        case .listOffsets(let body): return reply(.listOffsets(listOffsets(body)))
        case .metadata(let body): return reply(.metadata(metadata(body)))
        case .offsetCommit(let body): return reply(.offsetCommit(groups.commit(body)))
        case .offsetFetch(let body): return reply(.offsetFetch(groups.fetchOffsets(body)))
        case .findCoordinator(let body): return reply(.findCoordinator(findCoordinator(body)))
        case .joinGroup(let body):
            return reply(
                .joinGroup(
                    groups.join(body, version: version, clientId: header.clientId ?? "", clientHost: clientHost)))
        case .heartbeat(let body): return reply(.heartbeat(groups.heartbeat(body)))
        case .leaveGroup(let body): return reply(.leaveGroup(groups.leave(body, version: version)))
        case .syncGroup(let body): return reply(.syncGroup(groups.sync(body)))
        case .apiVersions: return reply(.apiVersions(ApiVersionsResponse(table: config.apiVersions)))
        case .createTopics(let body): return reply(.createTopics(createTopics(body)))
        case .initProducerId(let body): return reply(.initProducerId(initProducerId(body)))
        }
    }

    /// A snapshot of every counter.
    func metrics(openConnections: Int) -> BrokerMetricsSnapshot {
        var traffic: [String: BrokerMetricsSnapshot.TopicTraffic] = [:]
        for topic in topics.allTopics {
            traffic[topic.name] = BrokerMetricsSnapshot.TopicTraffic(
                bytesIn: topic.bytesIn.load(ordering: .relaxed), recordsIn: topic.recordsIn.load(ordering: .relaxed),
                bytesOut: topic.bytesOut.load(ordering: .relaxed),
                recordsOut: topic.recordsOut.load(ordering: .relaxed))
        }
        return BrokerMetricsSnapshot(
            topics: traffic, requestsByApi: counters.requestsByApi,
            rejectedRequests: counters.rejectedRequests.load(ordering: .relaxed), openConnections: openConnections,
            acceptedConnections: counters.acceptedConnections.load(ordering: .relaxed),
            groupCount: groups.groupCount, localReadRequests: counters.localReadRequests.load(ordering: .relaxed))
    }
}
