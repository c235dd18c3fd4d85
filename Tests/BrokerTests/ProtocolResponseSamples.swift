@testable import Broker

/// Non-trivial responses per API and version (see `ProtocolSamples`).
extension ProtocolSamples {
    static func response(_ key: ApiKey, version v: Int16) -> KafkaResponse {
        switch key {
        case .apiVersions:
            .apiVersions(
                .init(
                    apiKeys: ApiVersionTable.recommended.entries + [.init(apiKey: 99, minVersion: 1, maxVersion: 3)],
                    throttleTimeMs: v >= 1 ? 250 : 0))
        case .metadata: .metadata(metadataResponse(v))
        case .produce: .produce(produceResponse(v))
        case .initProducerId:
            .initProducerId(.init(throttleTimeMs: 3, errorCode: .noError, producerId: 4242, producerEpoch: 1))
        case .fetch: .fetch(fetchResponse(v))
        case .listOffsets:
            .listOffsets(
                .init(
                    throttleTimeMs: v >= 2 ? 9 : 0,
                    topics: [
                        .init(
                            name: "orders",
                            partitions: [
                                .init(partitionIndex: 0, timestamp: -1, offset: 0, leaderEpoch: v >= 4 ? 0 : -1),
                                .init(
                                    partitionIndex: 1, errorCode: .unknownTopicOrPartition, timestamp: 1700,
                                    offset: 99),
                            ])
                    ]))
        case .findCoordinator:
            .findCoordinator(
                .init(
                    throttleTimeMs: v >= 1 ? 8 : 0, errorCode: .coordinatorNotAvailable,
                    errorMessage: v >= 1 ? "loading" : nil, nodeId: 0, host: "127.0.0.1", port: 9092))
        default: groupResponse(key, version: v)
        }
    }

    static func metadataResponse(_ v: Int16) -> MetadataResponse {
        let partition = MetadataResponse.Partition(
            errorCode: .leaderNotAvailable, partitionIndex: 3, leaderId: 0, leaderEpoch: v >= 7 ? 5 : -1,
            replicaNodes: [0, 1], isrNodes: [0], offlineReplicas: v >= 5 ? [1] : [])
        return MetadataResponse(
            throttleTimeMs: v >= 3 ? 17 : 0,
            brokers: [
                .init(nodeId: 0, host: "127.0.0.1", port: 9092, rack: v >= 1 ? "rack-a" : nil),
                .init(nodeId: 1, host: "host-b", port: 9093),
            ],
            clusterId: v >= 2 ? "spate-cluster" : nil, controllerId: v >= 1 ? 0 : -1,
            topics: [
                .init(
                    name: "orders", isInternal: v >= 1, partitions: [partition],
                    topicAuthorizedOperations: v >= 8 ? 0x0fff : Int32.min),
                .init(errorCode: .unknownTopicOrPartition, name: "missing", partitions: []),
            ],
            clusterAuthorizedOperations: v >= 8 ? 42 : Int32.min)
    }

    static func produceResponse(_ v: Int16) -> ProduceResponse {
        ProduceResponse(
            topics: [
                .init(
                    name: "orders",
                    partitions: [
                        .init(
                            index: 0, baseOffset: 42, logAppendTimeMs: v >= 2 ? 1_700_000_000_000 : -1,
                            logStartOffset: v >= 5 ? 7 : -1,
                            recordErrors: v >= 8
                                ? [.init(batchIndex: 2, batchIndexErrorMessage: "bad"), .init(batchIndex: 3)] : [],
                            errorMessage: v >= 8 ? "partial" : nil),
                        .init(index: 1, errorCode: .notLeaderOrFollower, baseOffset: -1),
                    ])
            ], throttleTimeMs: v >= 1 ? 5 : 0)
    }

    static func fetchResponse(_ v: Int16) -> FetchResponse {
        FetchResponse(
            throttleTimeMs: 12, errorCode: v >= 7 ? KafkaErrorCode(rawValue: 70) : .noError, sessionId: v >= 7 ? 99 : 0,
            topics: [
                .init(
                    topic: "orders",
                    partitions: [
                        .init(
                            partitionIndex: 0, highWatermark: 100, lastStableOffset: 100,
                            logStartOffset: v >= 5 ? 3 : -1,
                            abortedTransactions: [.init(producerId: 77, firstOffset: 50)],
                            preferredReadReplica: v >= 11 ? 1 : -1, records: SharedBytes(records)),
                        .init(
                            partitionIndex: 1, errorCode: .offsetOutOfRange, highWatermark: 5, lastStableOffset: -1,
                            abortedTransactions: nil, records: []),
                    ])
            ])
    }

    static func groupResponse(_ key: ApiKey, version v: Int16) -> KafkaResponse {
        switch key {
        case .joinGroup:
            .joinGroup(
                .init(
                    throttleTimeMs: v >= 2 ? 1 : 0, generationId: 3, protocolName: "range", leader: "m-1",
                    memberId: "m-1",
                    members: [
                        .init(memberId: "m-1", groupInstanceId: v >= 5 ? "inst-1" : nil, metadata: [9, 8, 7]),
                        .init(memberId: "m-2", metadata: []),
                    ]))
        case .syncGroup:
            .syncGroup(.init(throttleTimeMs: v >= 1 ? 2 : 0, errorCode: .rebalanceInProgress, assignment: [5, 6, 7]))
        case .heartbeat:
            .heartbeat(.init(throttleTimeMs: v >= 1 ? 4 : 0, errorCode: .rebalanceInProgress))
        case .leaveGroup:
            .leaveGroup(
                .init(
                    throttleTimeMs: v >= 1 ? 6 : 0,
                    members: v >= 3
                        ? [
                            .init(memberId: "m-1", groupInstanceId: "inst-1"),
                            .init(memberId: "m-2", errorCode: .unknownMemberId),
                        ]
                        : []))
        case .offsetCommit:
            .offsetCommit(
                .init(
                    throttleTimeMs: v >= 3 ? 7 : 0,
                    topics: [
                        .init(
                            name: "orders",
                            partitions: [
                                .init(partitionIndex: 0), .init(partitionIndex: 1, errorCode: .illegalGeneration),
                            ])
                    ]))
        case .offsetFetch: .offsetFetch(offsetFetchResponse(v))
        case .createTopics:
            .createTopics(
                .init(
                    throttleTimeMs: 1,
                    topics: [
                        .init(name: "orders"),
                        .init(name: "dup", errorCode: .topicAlreadyExists, errorMessage: "exists"),
                    ]))
        default:
            preconditionFailure("no group sample for \(key)")
        }
    }

    static func offsetFetchResponse(_ v: Int16) -> OffsetFetchResponse {
        OffsetFetchResponse(
            throttleTimeMs: v >= 3 ? 11 : 0,
            topics: [
                .init(
                    name: "orders",
                    partitions: [
                        .init(
                            partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: v >= 5 ? 5 : -1,
                            metadata: "meta"),
                        .init(
                            partitionIndex: 1, committedOffset: -1, metadata: "",
                            errorCode: .unknownTopicOrPartition),
                    ])
            ], errorCode: v >= 2 ? .coordinatorLoadInProgress : .noError)
    }
}
