@testable import Broker

/// Non-trivial request and response values per API and version. A field a version lacks keeps
/// its schema default, so a decode at that version must give back exactly the same value.
enum ProtocolSamples {
    static let records: [UInt8] = (0..<97).map { UInt8(truncatingIfNeeded: $0 &* 37) }

    static func request(_ key: ApiKey, version v: Int16) -> KafkaRequest {
        switch key {
        case .apiVersions:
            .apiVersions(v >= 3 ? .init(clientSoftwareName: "spate", clientSoftwareVersion: "0.1.0") : .init())
        case .metadata:
            .metadata(
                .init(
                    topics: ["orders", "payments"], allowAutoTopicCreation: v < 4,
                    includeClusterAuthorizedOperations: v >= 8, includeTopicAuthorizedOperations: v >= 8))
        case .produce:
            .produce(
                .init(
                    transactionalId: v >= 3 ? "txn-1" : nil, acks: -1, timeoutMs: 30000,
                    topics: [
                        .init(
                            name: "orders",
                            partitions: [.init(index: 0, records: records), .init(index: 1, records: nil)]),
                        .init(name: "empty", partitions: []),
                    ]))
        case .initProducerId:
            .initProducerId(.init(transactionalId: "txn-7", transactionTimeoutMs: 60000))
        case .fetch: .fetch(fetchRequest(v))
        case .listOffsets:
            .listOffsets(
                .init(
                    replicaId: -1, isolationLevel: v >= 2 ? 1 : 0,
                    topics: [
                        .init(
                            name: "orders",
                            partitions: [
                                .init(partitionIndex: 0, currentLeaderEpoch: v >= 4 ? 4 : -1, timestamp: -2),
                                .init(partitionIndex: 1, timestamp: 1_700_000_000_000),
                            ])
                    ]))
        case .findCoordinator:
            .findCoordinator(.init(key: "group-a", keyType: v >= 1 ? 1 : 0))
        default: groupRequest(key, version: v)
        }
    }

    static func fetchRequest(_ v: Int16) -> FetchRequest {
        FetchRequest(
            replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 52_428_800, isolationLevel: 1,
            sessionId: v >= 7 ? 99 : 0, sessionEpoch: v >= 7 ? 3 : -1,
            topics: [
                .init(
                    topic: "orders",
                    partitions: [
                        .init(
                            partition: 0, currentLeaderEpoch: v >= 9 ? 2 : -1, fetchOffset: 1234,
                            logStartOffset: v >= 5 ? 10 : -1, partitionMaxBytes: 1_048_576),
                        .init(partition: 1, fetchOffset: 0, partitionMaxBytes: 65536),
                    ])
            ],
            forgottenTopics: v >= 7 ? [.init(topic: "old", partitions: [0, 2])] : [], rackId: v >= 11 ? "rack-a" : "")
    }

    static func groupRequest(_ key: ApiKey, version v: Int16) -> KafkaRequest {
        switch key {
        case .joinGroup:
            .joinGroup(
                .init(
                    groupId: "group-a", sessionTimeoutMs: 45000, rebalanceTimeoutMs: v >= 1 ? 300_000 : -1,
                    memberId: "m-1", groupInstanceId: v >= 5 ? "inst-1" : nil, protocolType: "consumer",
                    protocols: [.init(name: "range", metadata: [0, 1, 2]), .init(name: "roundrobin", metadata: [])]))
        case .syncGroup:
            .syncGroup(
                .init(
                    groupId: "group-a", generationId: 3, memberId: "m-1", groupInstanceId: v >= 3 ? "inst-1" : nil,
                    assignments: [.init(memberId: "m-1", assignment: [1, 2]), .init(memberId: "m-2", assignment: [])]))
        case .heartbeat:
            .heartbeat(
                .init(groupId: "group-a", generationId: 3, memberId: "m-1", groupInstanceId: v >= 3 ? "inst-1" : nil))
        case .leaveGroup:
            .leaveGroup(
                .init(
                    groupId: "group-a", memberId: v < 3 ? "m-1" : "",
                    members: v >= 3 ? [.init(memberId: "m-1", groupInstanceId: "inst-1"), .init(memberId: "m-2")] : []))
        case .offsetCommit:
            .offsetCommit(
                .init(
                    groupId: "group-a", generationId: 3, memberId: "m-1", groupInstanceId: v >= 7 ? "inst-1" : nil,
                    retentionTimeMs: v <= 4 ? 86_400_000 : -1,
                    topics: [
                        .init(
                            name: "orders",
                            partitions: [
                                .init(
                                    partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: v >= 6 ? 5 : -1,
                                    committedMetadata: "meta"),
                                .init(partitionIndex: 1, committedOffset: 0, committedMetadata: nil),
                            ])
                    ]))
        case .offsetFetch:
            .offsetFetch(.init(groupId: "group-a", topics: [.init(name: "orders", partitionIndexes: [0, 1, 2])]))
        case .createTopics:
            .createTopics(
                .init(
                    topics: [
                        .init(
                            name: "orders", numPartitions: 3, replicationFactor: 1,
                            configs: [.init(name: "retention.ms", value: "1000"), .init(name: "cleanup", value: nil)]),
                        .init(
                            name: "manual", numPartitions: -1, replicationFactor: -1,
                            assignments: [
                                .init(partitionIndex: 0, brokerIds: [0, 1]), .init(partitionIndex: 1, brokerIds: [1]),
                            ]),
                    ], timeoutMs: 30000, validateOnly: true))
        default:
            preconditionFailure("no group sample for \(key)")
        }
    }
}
