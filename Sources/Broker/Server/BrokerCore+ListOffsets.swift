/// ListOffsets (v1–5): earliest (-2), latest (-1, also the LSO), or the first batch at a timestamp.
extension BrokerCore {
    func listOffsets(_ request: ListOffsetsRequest) -> ListOffsetsResponse {
        ListOffsetsResponse(
            topics: request.topics.map { topic in
                let hosted = topics.topic(topic.name)
                return ListOffsetsResponse.Topic(
                    name: topic.name,
                    partitions: topic.partitions.map { partition in
                        guard let target = hosted?.partition(partition.partitionIndex) else {
                            return .init(partitionIndex: partition.partitionIndex, errorCode: .unknownTopicOrPartition)
                        }
                        return lookup(partition, in: target.log)
                    })
            })
    }

    private func lookup(_ partition: ListOffsetsRequest.Partition, in log: PartitionLog)
        -> ListOffsetsResponse.Partition
    {
        do {
            // Kafka answers offset -1 and timestamp -1 when no batch reaches the timestamp.
            let found = try log.offset(forTimestamp: partition.timestamp)
            return .init(
                partitionIndex: partition.partitionIndex, timestamp: found?.timestampMs ?? -1,
                offset: found?.offset ?? -1,
                leaderEpoch: 0)
        } catch {
            return .init(partitionIndex: partition.partitionIndex, errorCode: error.kafkaErrorCode)
        }
    }
}
