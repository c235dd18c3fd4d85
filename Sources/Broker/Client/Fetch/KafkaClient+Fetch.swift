import Dispatch
import Synchronization

/// One partition's outcome in a multi-partition fetch.
public typealias FetchResult = Result<FetchedPartition, KafkaClientError>

extension KafkaClient {
    /// Fetches one partition from `offset`, long-polling up to `options.maxWaitMs` for data, and
    /// retrying leader and connection failures. An offset outside the log throws `.offsetOutOfRange`.
    public func fetch(topic: String, partition: Int32, offset: Int64, options: FetchOptions = FetchOptions())
        throws(KafkaClientError) -> FetchedPartition
    {
        let key = TopicPartition(topic: topic, partition: partition)
        return try retrying(onRetry: { _ in self.invalidate(topic: topic) }) {
            () throws(KafkaClientError) in
            if config.localReads, let local = localFetch(key, offset: offset, options: options) { return local }
            guard let result = fetch([key: offset], options: options)[key] else {
                throw .malformedRecords(topic: topic, partition: partition, reason: "the broker did not answer for it")
            }
            return try result.get()
        }
    }

    /// Fetches every partition in `positions` from its offset, one request per leader, all leaders
    /// at once; each partition gets its own result (no retries here: a consumer's next poll retries).
    public func fetch(_ positions: [TopicPartition: Int64], options: FetchOptions = FetchOptions())
        -> [TopicPartition: FetchResult]
    {
        let results = Mutex<[TopicPartition: FetchResult]>([:])
        var byLeader: [BrokerNode: [TopicPartition]] = [:]
        for key in positions.keys.sorted() {
            do throws(KafkaClientError) {
                byLeader[try leader(of: key), default: []].append(key)
            } catch {
                results.withLock { $0[key] = .failure(error) }
            }
        }
        let done = DispatchGroup()
        var borrowed: [BrokerConnection] = []
        for (node, partitions) in byLeader {
            let connection: BrokerConnection
            do throws(KafkaClientError) { connection = try pool.checkOutFetch(node) } catch {
                results.withLock { results in for key in partitions { results[key] = .failure(error) } }
                continue
            }
            borrowed.append(connection)
            done.enter()
            let request = Self.fetchRequest(partitions, positions: positions, options: options)
            let timeoutMs = config.requestTimeoutMs + Int(max(0, options.maxWaitMs))
            connection.send(request, timeoutMs: timeoutMs) { [self] outcome in
                let answers = interpret(outcome, partitions: partitions, positions: positions, options: options)
                results.withLock { $0.merge(answers) { _, new in new } }
                done.leave()
            }
        }
        // Each connection's reader answers every request by its deadline; this bound only guards that.
        let boundMs = config.requestTimeoutMs + Int(max(0, options.maxWaitMs)) + 10_000
        if done.wait(timeout: .now() + .milliseconds(boundMs)) == .timedOut {
            for connection in borrowed {
                connection.fail(.timedOut(.fetch, broker: connection.node.address, afterMs: boundMs))
            }
            done.wait()
        }
        for connection in borrowed { pool.checkIn(connection) }
        return results.withLock { $0 }
    }

    private static func fetchRequest(
        _ partitions: [TopicPartition], positions: [TopicPartition: Int64], options: FetchOptions
    ) -> FetchRequest {
        var topics: [FetchRequest.Topic] = []
        for key in partitions {
            let entry = FetchRequest.Partition(
                partition: key.partition, fetchOffset: positions[key] ?? 0, partitionMaxBytes: options.partitionMaxBytes
            )
            if topics.last?.topic == key.topic {
                topics[topics.count - 1].partitions.append(entry)
            } else {
                topics.append(FetchRequest.Topic(topic: key.topic, partitions: [entry]))
            }
        }
        // Sessionless (epoch -1), as librdkafka fetches: every request names its partitions.
        return FetchRequest(
            maxWaitMs: options.maxWaitMs, minBytes: options.minBytes, maxBytes: options.maxBytes,
            isolationLevel: options.isolationLevel, sessionId: 0, sessionEpoch: -1, topics: topics)
    }

    private func interpret(
        _ outcome: Result<FetchResponse?, KafkaClientError>, partitions: [TopicPartition],
        positions: [TopicPartition: Int64], options: FetchOptions
    ) -> [TopicPartition: FetchResult] {
        var answers: [TopicPartition: FetchResult] = [:]
        let response: FetchResponse
        switch outcome {
        case .success(let decoded?): response = decoded
        case .success(nil): response = FetchResponse(topics: [])
        case .failure(let error):
            for key in partitions { answers[key] = .failure(error) }
            return answers
        }
        for topic in response.topics {
            for answer in topic.partitions {
                let key = TopicPartition(topic: topic.topic, partition: answer.partitionIndex)
                guard let offset = positions[key] else { continue }
                answers[key] = partitionResult(
                    answer, key: key, offset: offset, top: response.errorCode, options: options)
            }
        }
        for key in partitions where answers[key] == nil {
            answers[key] = .failure(
                .malformedRecords(
                    topic: key.topic, partition: key.partition, reason: "the broker did not answer for it"))
        }
        return answers
    }

    private func partitionResult(
        _ answer: FetchResponse.Partition, key: TopicPartition, offset: Int64, top: KafkaErrorCode,
        options: FetchOptions
    ) -> FetchResult {
        let code = top.isError ? top : answer.errorCode
        switch code {
        case .noError:
            localReads.fetchedBytes.add(Int64(answer.records?.count ?? 0), ordering: .relaxed)
            return Result { () throws(KafkaClientError) in
                try FetchedPartition(
                    topic: key.topic, partition: key.partition, fetchOffset: offset,
                    highWatermark: answer.highWatermark, lastStableOffset: answer.lastStableOffset,
                    logStartOffset: answer.logStartOffset, records: answer.records ?? [], verifyCRC: options.verifyCRC)
            }
        case .offsetOutOfRange:
            return .failure(
                .offsetOutOfRange(
                    topic: key.topic, partition: key.partition, offset: offset, logStartOffset: answer.logStartOffset,
                    highWatermark: answer.highWatermark))
        case .notLeaderOrFollower, .leaderNotAvailable, .unknownTopicOrPartition, .fencedLeaderEpoch,
            .unknownLeaderEpoch:
            invalidate(topic: key.topic)
            return .failure(.broker(code, context: "fetching \(key.topic)/\(key.partition)"))
        default:
            return .failure(.broker(code, context: "fetching \(key.topic)/\(key.partition)"))
        }
    }
}
