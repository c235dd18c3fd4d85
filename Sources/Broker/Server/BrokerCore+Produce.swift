/// Produce (v3–8): batches stored verbatim, offsets assigned by the log, idempotent sequences checked.
extension BrokerCore {
    /// Appends every partition's records; nil for acks=0, which gets no response at all (G9).
    func produce(_ request: ProduceRequest) -> ProduceResponse? {
        let acksValid = [0, 1, -1].contains(request.acks)
        var appended = false
        let topics = request.topics.map { topic in
            ProduceResponse.Topic(
                name: topic.name,
                partitions: produce(topic, acksValid: acksValid, appended: &appended))
        }
        if appended { appendSignal.notifyAppend() }
        return request.acks == 0 ? nil : ProduceResponse(topics: topics)
    }

    private func produce(_ topic: ProduceRequest.Topic, acksValid: Bool, appended: inout Bool)
        -> [ProduceResponse.Partition]
    {
        func refuse(_ code: KafkaErrorCode, _ message: String?) -> [ProduceResponse.Partition] {
            topic.partitions.map {
                ProduceResponse.Partition(index: $0.index, errorCode: code, baseOffset: -1, errorMessage: message)
            }
        }
        guard acksValid else { return refuse(.invalidRequiredAcks, "acks must be 0, 1 or -1") }
        let hosted: BrokerTopic
        switch resolveTopic(topic.name, autoCreate: config.autoCreateTopics) {
        case .found(let found): hosted = found
        case .failed(let code, let message): return refuse(code, message)
        }
        return topic.partitions.map { partition in
            guard let target = hosted.partition(partition.index) else {
                return ProduceResponse.Partition(
                    index: partition.index, errorCode: .unknownTopicOrPartition, baseOffset: -1,
                    errorMessage: "topic \(topic.name) has no partition \(partition.index)")
            }
            let records = partition.records ?? []
            switch target.append(records) {
            case .appended(let result, let recordCount):
                appended = true
                hosted.bytesIn.add(Int64(records.count), ordering: .relaxed)
                hosted.recordsIn.add(recordCount, ordering: .relaxed)
                return ProduceResponse.Partition(
                    index: partition.index, baseOffset: result.baseOffset, logStartOffset: result.logStartOffset)
            case .duplicate(let baseOffset, let logStartOffset):
                return ProduceResponse.Partition(
                    index: partition.index, baseOffset: baseOffset, logStartOffset: logStartOffset)
            case .rejected(let code, let message):
                return ProduceResponse.Partition(
                    index: partition.index, errorCode: code, baseOffset: -1, errorMessage: message)
            }
        }
    }
}
