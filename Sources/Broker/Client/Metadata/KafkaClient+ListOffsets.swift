/// Which offset ListOffsets looks up.
public enum OffsetSpec: Equatable, Sendable {
    /// The first offset still in the log.
    case earliest
    /// The offset the next record will get (the high watermark).
    case latest
    /// The first offset whose record timestamp is at or after this many ms since the epoch.
    case timestamp(Int64)

    /// The value ListOffsets carries for this spec.
    var wireTimestamp: Int64 {
        switch self {
        case .earliest: -2
        case .latest: -1
        case .timestamp(let ms): ms
        }
    }
}

/// One partition's ListOffsets answer.
public struct ListedOffset: Equatable, Sendable {
    /// The offset found; nil when no record has a timestamp at or after the one asked for.
    public var offset: Int64?
    /// The found record's timestamp, for timestamp lookups (nil otherwise).
    public var timestampMs: Int64?

    /// An answer.
    public init(offset: Int64?, timestampMs: Int64? = nil) {
        self.offset = offset
        self.timestampMs = timestampMs
    }
}

extension KafkaClient {
    /// The offset at `spec` for each of `partitions` of `topic` (all of them when nil).
    public func listOffsets(topic: String, partitions: [Int32]? = nil, at spec: OffsetSpec)
        throws(KafkaClientError) -> [Int32: ListedOffset]
    {
        try retrying(onRetry: { _ in self.invalidate(topic: topic) }) {
            () throws(KafkaClientError) in
            var wanted = partitions ?? []
            if partitions == nil { wanted = try topicMetadata(topic).partitions.map(\.partition) }
            var byLeader: [BrokerNode: [Int32]] = [:]
            for partition in wanted {
                let node = try leader(of: TopicPartition(topic: topic, partition: partition))
                byLeader[node, default: []].append(partition)
            }
            var found: [Int32: ListedOffset] = [:]
            for (node, partitions) in byLeader {
                let request = ListOffsetsRequest(
                    topics: [
                        .init(
                            name: topic,
                            partitions: partitions.map { .init(partitionIndex: $0, timestamp: spec.wireTimestamp) })
                    ])
                let response = try call(request, to: node)
                for answer in response.topics.filter({ $0.name == topic }).flatMap(\.partitions) {
                    try Self.check(answer.errorCode, topic: topic, partition: answer.partitionIndex, api: "ListOffsets")
                    let hasTimestamp = if case .timestamp = spec { true } else { false }
                    found[answer.partitionIndex] = ListedOffset(
                        offset: answer.offset >= 0 ? answer.offset : nil,
                        timestampMs: hasTimestamp && answer.timestamp >= 0 ? answer.timestamp : nil)
                }
            }
            for partition in wanted where found[partition] == nil {
                throw .unknownPartition(topic: topic, partition: partition)
            }
            return found
        }
    }

    /// The earliest or latest offset of every listed partition (they always exist).
    public func offsets(topic: String, partitions: [Int32]? = nil, at spec: OffsetSpec) throws(KafkaClientError)
        -> [Int32: Int64]
    {
        try listOffsets(topic: topic, partitions: partitions, at: spec).mapValues { $0.offset ?? -1 }
    }

    /// Turns a partition-level error code into the matching typed error.
    static func check(_ code: KafkaErrorCode, topic: String, partition: Int32, api: String) throws(KafkaClientError) {
        switch code {
        case .noError: return
        case .unknownTopicOrPartition: throw .broker(code, context: "\(api) for \(topic)/\(partition)")
        case .leaderNotAvailable, .notLeaderOrFollower: throw .leaderNotAvailable(topic: topic, partition: partition)
        default: throw .broker(code, context: "\(api) for \(topic)/\(partition)")
        }
    }
}
