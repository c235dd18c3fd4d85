import Wire

/// Fetch (v4–11), per G6/G7: whole batches from the one holding fetch_offset, at least one batch,
/// OFFSET_OUT_OF_RANGE outside [logStart, HWM], records never null, LSO = HWM, and a long poll
/// woken by appends that honours max_wait_ms and min_bytes.
extension BrokerCore {
    /// The response frame as chunks, records of more than `ChunkedFrameWriter.inlineBytesMax` as
    /// segment regions for sendfile; blocks this connection only, up to max_wait_ms.
    func fetch(_ request: FetchRequest, version: Int16, correlationId: Int32) -> [ResponseChunk] {
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
        return read.response.frameChunks(version: version, correlationId: correlationId, regions: read.regions)
    }

    /// One pass over the requested partitions.
    struct FetchRead {
        var response: FetchResponse
        /// Per topic and partition of `response`, the segment region standing in for its records.
        var regions: [[SegmentRegion?]]
        var bytes: Int
        var hasError: Bool
        /// Record bytes and records returned per partition, for the traffic counters.
        var returned: [(topic: BrokerTopic, bytes: Int, records: Int64)]
    }

    /// One partition's answer: its fields, and its records either inline in `answer` or as a region.
    private struct PartitionRead {
        var answer: FetchResponse.Partition
        var region: SegmentRegion?
        var recordCount: Int64 = 0

        var recordBytes: Int { region?.count ?? answer.records?.count ?? 0 }
    }

    private func readPartitions(_ request: FetchRequest) -> FetchRead {
        var read = FetchRead(
            response: FetchResponse(topics: []), regions: [], bytes: 0, hasError: false, returned: [])
        // max_bytes bounds the whole response, except that the first batch found always goes (KIP-74).
        var remaining = request.maxBytes > 0 ? Int(request.maxBytes) : 0
        for topic in request.topics {
            let hosted = topics.topic(topic.topic)
            var partitions: [FetchResponse.Partition] = []
            var regions: [SegmentRegion?] = []
            for wanted in topic.partitions {
                guard let partition = hosted?.partition(wanted.partition), let hosted else {
                    read.hasError = true
                    partitions.append(
                        FetchResponse.Partition(
                            partitionIndex: wanted.partition, errorCode: .unknownTopicOrPartition, highWatermark: -1,
                            records: []))
                    regions.append(nil)
                    continue
                }
                let found = readPartition(partition.log, wanted, remaining: &remaining, isFirst: read.bytes == 0)
                if found.answer.errorCode.isError { read.hasError = true }
                if found.recordBytes > 0 {
                    read.bytes += found.recordBytes
                    read.returned.append((hosted, found.recordBytes, found.recordCount))
                }
                partitions.append(found.answer)
                regions.append(found.region)
            }
            read.response.topics.append(FetchResponse.Topic(topic: topic.topic, partitions: partitions))
            read.regions.append(regions)
        }
        return read
    }

    private func readPartition(
        _ log: PartitionLog, _ wanted: FetchRequest.Partition, remaining: inout Int, isFirst: Bool
    ) -> PartitionRead {
        var read = PartitionRead(
            answer: FetchResponse.Partition(
                partitionIndex: wanted.partition, highWatermark: -1, lastStableOffset: -1, records: []))
        let limit = max(1, min(Int(wanted.partitionMaxBytes), remaining))
        do {
            let found = try log.readRegion(from: wanted.fetchOffset, maxBytes: limit)
            // G6: read_committed consumers read up to the LSO; with no transactions it is the HWM.
            read.answer.highWatermark = found.highWatermark
            read.answer.lastStableOffset = found.highWatermark
            read.answer.logStartOffset = found.logStartOffset
            // Past the first data in the response, a batch that does not fit waits for the next fetch.
            guard let region = found.region, isFirst || region.count <= remaining else { return read }
            if region.count <= ChunkedFrameWriter.inlineBytesMax {
                // Small: one pread, and the bytes go out inline with the frame's fields.
                read.answer.records = SharedBytes(try region.bytes())
            } else {
                read.region = region
            }
            read.recordCount = found.recordCount
            remaining = max(0, remaining - region.count)
        } catch {
            let highWatermark = log.highWatermark
            read = PartitionRead(
                answer: FetchResponse.Partition(
                    partitionIndex: wanted.partition, errorCode: error.kafkaErrorCode, highWatermark: highWatermark,
                    lastStableOffset: highWatermark, logStartOffset: log.logStartOffset, records: []))
        }
        return read
    }

    private func count(_ read: FetchRead) {
        for (topic, bytes, records) in read.returned {
            topic.bytesOut.add(Int64(bytes), ordering: .relaxed)
            topic.recordsOut.add(records, ordering: .relaxed)
        }
    }
}
