import Wire

/// Fetch (v4–11), per G6/G7: whole batches from the one holding fetch_offset, at least one batch,
/// OFFSET_OUT_OF_RANGE outside [logStart, HWM], records never null, LSO = HWM, and a long poll
/// woken by appends that honours max_wait_ms and min_bytes.
extension BrokerCore {
    /// The response frame as chunks; blocks this connection only, up to max_wait_ms.
    func fetch(_ request: FetchRequest, version: Int16, correlationId: Int32) -> [[UInt8]] {
        let waitMs = min(max(0, request.maxWaitMs), config.fetchWaitMsMax)
        let deadlineNs = MonotonicClock.nanoseconds() + UInt64(waitMs) * 1_000_000
        let read = appendSignal.waiting { () -> FetchRead in
            while true {
                let seen = appendSignal.current
                let read = readPartitions(request)
                // Kafka answers at once on any error, and on min_bytes ≤ 0 or max_wait_ms = 0.
                if read.bytes >= Int(request.minBytes) || read.hasError || appendSignal.isStopped
                    || MonotonicClock.nanoseconds() >= deadlineNs
                {
                    return read
                }
                appendSignal.wait(changedFrom: seen, deadlineNs: deadlineNs)
            }
        }
        count(read)
        return read.response.frameChunks(version: version, correlationId: correlationId)
    }

    /// One pass over the requested partitions.
    struct FetchRead {
        var response: FetchResponse
        var bytes: Int
        var hasError: Bool
        /// Bytes and topic of each partition's records, for the traffic counters.
        var returned: [(topic: BrokerTopic, records: SharedBytes)]
    }

    private func readPartitions(_ request: FetchRequest) -> FetchRead {
        var read = FetchRead(response: FetchResponse(topics: []), bytes: 0, hasError: false, returned: [])
        // max_bytes bounds the whole response, except that the first batch found always goes (KIP-74).
        var remaining = request.maxBytes > 0 ? Int(request.maxBytes) : 0
        for topic in request.topics {
            let hosted = topics.topic(topic.topic)
            var partitions: [FetchResponse.Partition] = []
            for wanted in topic.partitions {
                guard let partition = hosted?.partition(wanted.partition), let hosted else {
                    read.hasError = true
                    partitions.append(
                        FetchResponse.Partition(
                            partitionIndex: wanted.partition, errorCode: .unknownTopicOrPartition, highWatermark: -1,
                            records: []))
                    continue
                }
                let answer = readPartition(partition.log, wanted, remaining: &remaining, isFirst: read.bytes == 0)
                if answer.errorCode.isError { read.hasError = true }
                if let records = answer.records, !records.isEmpty {
                    read.bytes += records.count
                    read.returned.append((hosted, records))
                }
                partitions.append(answer)
            }
            read.response.topics.append(FetchResponse.Topic(topic: topic.topic, partitions: partitions))
        }
        return read
    }

    private func readPartition(
        _ log: PartitionLog, _ wanted: FetchRequest.Partition, remaining: inout Int, isFirst: Bool
    ) -> FetchResponse.Partition {
        var answer = FetchResponse.Partition(
            partitionIndex: wanted.partition, highWatermark: -1, lastStableOffset: -1, records: [])
        let limit = max(1, min(Int(wanted.partitionMaxBytes), remaining))
        do {
            let result = try log.read(from: wanted.fetchOffset, maxBytes: limit)
            // G6: read_committed consumers read up to the LSO; with no transactions it is the HWM.
            answer.highWatermark = result.highWatermark
            answer.lastStableOffset = result.highWatermark
            answer.logStartOffset = result.logStartOffset
            // Past the first data in the response, a batch that does not fit waits for the next fetch.
            guard isFirst || result.records.count <= remaining else { return answer }
            answer.records = SharedBytes(result.records)
            remaining = max(0, remaining - result.records.count)
        } catch {
            answer.errorCode = error.kafkaErrorCode
            answer.highWatermark = log.highWatermark
            answer.lastStableOffset = answer.highWatermark
            answer.logStartOffset = log.logStartOffset
        }
        return answer
    }

    private func count(_ read: FetchRead) {
        for (topic, records) in read.returned {
            topic.bytesOut.add(Int64(records.count), ordering: .relaxed)
            let batches = (try? RecordBatchSplitter.splitFetched(records.storage, range: records.range)) ?? []
            topic.recordsOut.add(batches.reduce(0) { $0 + Int64($1.header.recordCount) }, ordering: .relaxed)
        }
    }
}
