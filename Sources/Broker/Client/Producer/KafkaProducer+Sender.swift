import Wire

/// The sender thread's work: seal what lingered long enough, find each ready partition's leader,
/// drain batches into one produce request per broker, and fold the answers back in.
extension KafkaProducer {
    /// Longest sleep of an idle sender, so a dropped producer is noticed soon.
    static let idleSliceNs: UInt64 = 200_000_000

    /// One pass; false once the producer is closed and every record is finished.
    func senderStep() -> Bool {
        let seen = bell.current
        let nowNs = MonotonicClock.nanoseconds()
        let maxAgeNs = UInt64(client.config.metadataMaxAgeMs) * 1_000_000
        let plan = state.withLock { state in
            if nowNs - state.partitionCountsSinceNs >= maxAgeNs {
                state.partitionCounts = [:]
                state.partitionCountsSinceNs = nowNs
            }
            var plan = state.plan(nowNs: nowNs, config: config)
            plan.expired = state.holdReports(plan.expired, listening: onDelivery != nil)
            return plan
        }
        report(plan.expired)
        if plan.finished { return false }
        if !plan.ready.isEmpty && !ensureProducerId() {
            bell.wait(changedFrom: seen, deadlineNs: nowNs + UInt64(client.config.retryBackoffMs) * 1_000_000)
            return true
        }
        var sent = false
        if !plan.ready.isEmpty { sent = dispatch(plan.ready) }
        if !sent { bell.wait(changedFrom: seen, deadlineNs: min(plan.wakeNs, nowNs + Self.idleSliceNs)) }
        return true
    }

    /// Gets a producer id once (InitProducerId); false while it cannot be had. A broker without
    /// the API turns idempotence off, as librdkafka does.
    private func ensureProducerId() -> Bool {
        if state.withLock({ !$0.idempotent || $0.producerId >= 0 }) { return true }
        do throws(KafkaClientError) {
            let (_, response) = try client.callAnyBroker(InitProducerIdRequest(transactionTimeoutMs: 60_000))
            guard !response.errorCode.isError else { return false }
            state.withLock { state in
                state.producerId = response.producerId
                state.producerEpoch = response.producerEpoch
            }
            return true
        } catch {
            if case .unsupportedApi = error {
                state.withLock { $0.idempotent = false }
                return true
            }
            return false
        }
    }

    /// Sends one request per leader for the ready partitions; true if any request went out.
    private func dispatch(_ ready: [TopicPartition]) -> Bool {
        var byNode: [BrokerNode: [TopicPartition]] = [:]
        for partition in ready {
            do throws(KafkaClientError) {
                byNode[try client.leader(of: partition), default: []].append(partition)
            } catch {
                failLeaderless(partition, error)
            }
        }
        var sent = false
        for (node, partitions) in byNode {
            guard let request = drain(partitions, node: node) else { continue }
            sent = true
            transmit(request)
        }
        return sent
    }

    /// A partition whose leader cannot be found: its batches wait (retriable) or fail.
    private func failLeaderless(_ partition: TopicPartition, _ error: KafkaClientError) {
        let nowNs = MonotonicClock.nanoseconds()
        let reports = state.withLock { state -> [DeliveryReport] in
            let batches = state.take(partition, budgetBytes: .max, idempotent: false)
            let reports = state.complete(
                partition, batches, outcome: .failure(error), nowNs: nowNs, config: config,
                backoffMs: client.config.retryBackoffMs)
            return state.holdReports(reports, listening: onDelivery != nil)
        }
        report(reports)
    }

    /// Takes batches of `partitions` for one request to `node`, within the in-flight limit.
    private func drain(_ partitions: [TopicPartition], node: BrokerNode) -> DrainedRequest? {
        let budget = max(1, config.requestBytesMax / max(1, partitions.count))
        return state.withLock { state -> DrainedRequest? in
            guard state.inFlightByNode[node.address, default: 0] < config.inFlightRequestsMax else { return nil }
            var request = DrainedRequest(node: node, entries: [])
            for partition in partitions {
                let batches = state.take(partition, budgetBytes: budget, idempotent: state.idempotent)
                if !batches.isEmpty { request.entries.append(.init(partition: partition, batches: batches)) }
            }
            guard !request.entries.isEmpty else { return nil }
            state.inFlightByNode[node.address, default: 0] += 1
            return request
        }
    }

    /// Encodes the drained batches (outside the lock) and writes the request.
    private func transmit(_ drained: DrainedRequest) {
        var drained = drained
        let (producerId, epoch) = state.withLock { ($0.producerId, $0.producerEpoch) }
        var topics: [ProduceRequest.Topic] = []
        for index in drained.entries.indices {
            var blob: [UInt8] = []
            for batchIndex in drained.entries[index].batches.indices {
                let bytes = drained.entries[index].batches[batchIndex].encode(
                    producerId: producerId, producerEpoch: epoch)
                if blob.isEmpty { blob = bytes } else { blob += bytes }
            }
            let partition = drained.entries[index].partition
            let entry = ProduceRequest.Partition(index: partition.partition, records: blob)
            if topics.last?.name == partition.topic {
                topics[topics.count - 1].partitions.append(entry)
            } else {
                topics.append(ProduceRequest.Topic(name: partition.topic, partitions: [entry]))
            }
        }
        let request = ProduceRequest(
            acks: config.acks.rawValue, timeoutMs: Int32(clamping: client.config.requestTimeoutMs), topics: topics)
        let finished = drained
        let connection: BrokerConnection
        do throws(KafkaClientError) {
            connection = try client.pool.connection(to: drained.node, lane: .produce)
        } catch {
            return completed(finished, .failure(error))
        }
        connection.send(request, expectsResponse: config.acks != .none, timeoutMs: client.config.requestTimeoutMs) {
            [self] outcome in completed(finished, outcome)
        }
    }

    /// Folds a produce request's outcome into the state, reports, and wakes everyone waiting.
    private func completed(_ drained: DrainedRequest, _ outcome: Result<ProduceResponse?, KafkaClientError>) {
        let nowNs = MonotonicClock.nanoseconds()
        var stale: Set<String> = []
        let reports = state.withLock { state -> [DeliveryReport] in
            state.inFlightByNode[drained.node.address, default: 1] -= 1
            var reports: [DeliveryReport] = []
            for entry in drained.entries {
                let result = Self.partitionOutcome(entry.partition, outcome)
                if case .failure(let error) = result, error.kafkaCode.map(Self.isLeadershipError) ?? false {
                    stale.insert(entry.partition.topic)
                }
                reports += state.complete(
                    entry.partition, entry.batches, outcome: result, nowNs: nowNs, config: config,
                    backoffMs: client.config.retryBackoffMs)
            }
            return state.holdReports(reports, listening: onDelivery != nil)
        }
        for topic in stale { client.invalidate(topic: topic) }
        bell.ring()
        report(reports)
    }

    /// One partition's result within a produce response.
    static func partitionOutcome(_ partition: TopicPartition, _ outcome: Result<ProduceResponse?, KafkaClientError>)
        -> Result<Int64?, KafkaClientError>
    {
        let response: ProduceResponse
        switch outcome {
        case .failure(let error): return .failure(error)
        case .success(nil): return .success(nil)
        case .success(let decoded?): response = decoded
        }
        let answer = response.topics.first { $0.name == partition.topic }?.partitions.first {
            $0.index == partition.partition
        }
        guard let answer else {
            return .failure(.broker(.unknownServerError, context: "the produce response left out \(partition)"))
        }
        switch answer.errorCode {
        case .noError: return .success(answer.baseOffset >= 0 ? answer.baseOffset : nil)
        // A retry of a batch the broker already has: it was appended once, which is what we wanted.
        case .duplicateSequenceNumber: return .success(answer.baseOffset >= 0 ? answer.baseOffset : nil)
        case let code:
            let detail = answer.errorMessage.map { ": \($0)" } ?? ""
            return .failure(.broker(code, context: "producing to \(partition)\(detail)"))
        }
    }

    static func isLeadershipError(_ code: KafkaErrorCode) -> Bool {
        [.notLeaderOrFollower, .leaderNotAvailable, .unknownTopicOrPartition].contains(code)
    }

    /// Hands `reports` to the delivery callback, then lets `flush` return: a flush that returns has
    /// had every callback for its records run.
    func report(_ reports: [DeliveryReport]) {
        guard let onDelivery, !reports.isEmpty else { return }
        for report in reports { onDelivery(report) }
        state.withLock { $0.reportsInFlight -= 1 }
        bell.ring()
    }
}
