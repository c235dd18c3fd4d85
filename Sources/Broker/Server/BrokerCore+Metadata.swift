/// Metadata, FindCoordinator and InitProducerId: answers about this node and its ids.
extension BrokerCore {
    /// Metadata (v0–8): null topics = all, [] = none; this node leads everything with epoch 0 (G12).
    func metadata(_ request: MetadataRequest) -> MetadataResponse {
        let broker = MetadataResponse.Broker(nodeId: config.nodeId, host: advertisedHost, port: advertisedPort)
        let described: [MetadataResponse.Topic]
        if let names = request.topics {
            var seen: Set<String> = []
            let unique = names.filter { seen.insert($0).inserted }
            let autoCreate = request.allowAutoTopicCreation && config.autoCreateTopics
            described = unique.map { name in
                switch resolveTopic(name, autoCreate: autoCreate) {
                case .found(let topic): describe(topic)
                case .failed(let code, _): MetadataResponse.Topic(errorCode: code, name: name, partitions: [])
                }
            }
        } else {
            described = topics.allTopics.map(describe)
        }
        return MetadataResponse(
            brokers: [broker], clusterId: config.clusterId, controllerId: config.nodeId, topics: described)
    }

    private func describe(_ topic: BrokerTopic) -> MetadataResponse.Topic {
        MetadataResponse.Topic(
            name: topic.name,
            partitions: topic.partitions.map { partition in
                MetadataResponse.Partition(
                    partitionIndex: partition.index, leaderId: config.nodeId, leaderEpoch: 0,
                    replicaNodes: [config.nodeId], isrNodes: [config.nodeId])
            })
    }

    /// FindCoordinator (v0–2): this node coordinates every group; transactions are not offered.
    func findCoordinator(_ request: FindCoordinatorRequest) -> FindCoordinatorResponse {
        guard request.keyType == 0 else {
            return FindCoordinatorResponse(
                errorCode: .coordinatorNotAvailable, errorMessage: "this broker has no transaction coordinator",
                nodeId: -1, host: "", port: -1)
        }
        return FindCoordinatorResponse(nodeId: config.nodeId, host: advertisedHost, port: advertisedPort)
    }

    /// InitProducerId (v0–1): a producer id never handed out before, epoch 0 (G4).
    func initProducerId(_ request: InitProducerIdRequest) -> InitProducerIdResponse {
        // Transactions would need AddPartitionsToTxn and friends, which this broker does not offer.
        guard request.transactionalId == nil else {
            return InitProducerIdResponse(errorCode: .invalidRequest, producerId: -1, producerEpoch: -1)
        }
        do {
            return InitProducerIdResponse(producerId: try producerIds.next(), producerEpoch: 0)
        } catch {
            return InitProducerIdResponse(errorCode: .coordinatorNotAvailable, producerId: -1, producerEpoch: -1)
        }
    }
}
