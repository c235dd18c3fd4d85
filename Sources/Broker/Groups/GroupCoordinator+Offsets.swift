/// OffsetCommit and OffsetFetch. A commit is applied in memory only once the shell has made it
/// durable, so OffsetFetch never shows an offset a restart could lose.
extension GroupCoordinator {
    mutating func handleCommit(
        _ request: OffsetCommitRequest, token: GroupRequestToken, commitTimestampMs: Int64,
        _ context: GroupEventContext
    ) {
        let verdict = commitVerdict(request, context)
        guard verdict == .noError else {
            return outbox.send(.respondCommit(token, Self.commitResponse(request) { _, _ in verdict }))
        }
        let sequence = nextCommitSequence
        let metadataBytesMax = config.offsetMetadataBytesMax
        var entries: [OffsetCommitBatch.Entry] = []
        let response = Self.commitResponse(request) { topic, partition in
            let metadata = partition.committedMetadata ?? ""
            guard metadata.utf8.count <= metadataBytesMax else { return .offsetMetadataTooLarge }
            let value = CommittedOffset(
                offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch, metadata: metadata,
                commitTimestampMs: commitTimestampMs, sequence: sequence)
            entries.append(
                OffsetCommitBatch.Entry(
                    topicPartition: TopicPartition(topic: topic, partition: partition.partitionIndex), value: value))
            return .noError
        }
        guard !entries.isEmpty else { return outbox.send(.respondCommit(token, response)) }
        nextCommitSequence += 1
        let batch = OffsetCommitBatch(groupId: request.groupId, entries: entries)
        pendingCommits[token] = PendingCommit(batch: batch, response: response)
        outbox.hold(token)
        outbox.send(.persistOffsets(token, batch))
    }

    /// Kafka's validateOffsetCommit, including the group-less case: a commit for a group the
    /// coordinator has never seen is a "simple" commit only with generation -1 and no member id.
    private mutating func commitVerdict(_ request: OffsetCommitRequest, _ context: GroupEventContext) -> KafkaErrorCode
    {
        let claimsMembership = request.generationId >= 0 || !request.memberId.isEmpty || request.groupInstanceId != nil
        let verdict = withGroup(request.groupId, context) { group, _ in
            group.commitVerdict(
                memberId: request.memberId, generationId: request.generationId, claimsMembership: claimsMembership,
                context)
        }
        if let verdict { return verdict }
        if request.generationId >= 0 { return .illegalGeneration }
        return claimsMembership ? .unknownMemberId : .noError
    }

    mutating func completeCommit(_ token: GroupRequestToken, succeeded: Bool) {
        guard let pending = pendingCommits.removeValue(forKey: token) else {
            preconditionFailure("offsetsPersisted for \(token), which has no commit awaiting persistence")
        }
        var response = pending.response
        if succeeded {
            offsets.apply(pending.batch)
        } else {
            for topic in response.topics.indices {
                for index in response.topics[topic].partitions.indices
                where response.topics[topic].partitions[index].errorCode == .noError {
                    response.topics[topic].partitions[index].errorCode = .notCoordinator
                }
            }
        }
        outbox.send(.respondCommit(token, response))
    }

    /// A response in request order with each partition's code from `code`.
    static func commitResponse(
        _ request: OffsetCommitRequest,
        _ code: (String, OffsetCommitRequest.Partition) -> KafkaErrorCode
    ) -> OffsetCommitResponse {
        OffsetCommitResponse(
            topics: request.topics.map { topic in
                OffsetCommitResponse.Topic(
                    name: topic.name,
                    partitions: topic.partitions.map { partition in
                        OffsetCommitResponse.Partition(
                            partitionIndex: partition.partitionIndex, errorCode: code(topic.name, partition))
                    })
            })
    }

    func offsetFetchResponse(_ request: OffsetFetchRequest) -> OffsetFetchResponse {
        let committed = offsets[request.groupId] ?? [:]
        func partition(_ key: TopicPartition) -> OffsetFetchResponse.Partition {
            guard let value = committed[key] else {
                return OffsetFetchResponse.Partition(partitionIndex: key.partition, committedOffset: -1, metadata: "")
            }
            return OffsetFetchResponse.Partition(
                partitionIndex: key.partition, committedOffset: value.offset, committedLeaderEpoch: value.leaderEpoch,
                metadata: value.metadata)
        }
        guard let topics = request.topics else {
            let byTopic = Dictionary(grouping: committed.keys.sorted(), by: \.topic)
            return OffsetFetchResponse(
                topics: byTopic.keys.sorted().map { topic in
                    OffsetFetchResponse.Topic(name: topic, partitions: (byTopic[topic] ?? []).map(partition))
                })
        }
        return OffsetFetchResponse(
            topics: topics.map { topic in
                OffsetFetchResponse.Topic(
                    name: topic.name,
                    partitions: topic.partitionIndexes.map {
                        partition(TopicPartition(topic: topic.name, partition: $0))
                    })
            })
    }
}
