import Wire

/// SpateLocalRead: where one partition's batches from an offset lie in the segment files, for a
/// reader on the broker's host that preads them itself instead of receiving them over the socket.
/// Fetch's cut rules (whole batches, the first always goes), but no long poll: the reader falls
/// back to Fetch when there is nothing to read yet.
extension BrokerCore {
    /// Serves one local-read frame; a malformed one closes the connection, as any bad frame does.
    func handleLocalRead(frame: [UInt8]) -> RequestReply {
        let header: KafkaRequestHeader
        let request: LocalReadRequest
        do throws(DecodeError) {
            (header, request) = try LocalReadRequest.decode(frame: frame)
        } catch {
            counters.rejectedRequests.add(1, ordering: .relaxed)
            return .close("malformed SpateLocalRead request: \(error)")
        }
        counters.localReadRequests.add(1, ordering: .relaxed)
        return .respond([.bytes(localRead(request).frame(correlationId: header.correlationId))])
    }

    /// The answer to `request`: at most one region, as a Fetch reads from one segment at a time.
    func localRead(_ request: LocalReadRequest) -> LocalReadResponse {
        var response = LocalReadResponse(
            highWatermark: -1, logStartOffset: -1, hostToken: hostToken.token, tokenPath: hostToken.path, regions: [])
        guard let topic = topics.topic(request.topic), let partition = topic.partition(request.partition) else {
            response.errorCode = .unknownTopicOrPartition
            return response
        }
        do {
            let found = try partition.log.readRegion(from: request.fetchOffset, maxBytes: max(1, Int(request.maxBytes)))
            response.highWatermark = found.highWatermark
            response.logStartOffset = found.logStartOffset
            guard let region = found.region, let count = Int32(exactly: region.count) else { return response }
            response.regions = [
                LocalReadRegion(path: hostToken.absolute(region.file.path), position: region.position, count: count)
            ]
            topic.bytesOut.add(Int64(region.count), ordering: .relaxed)
            topic.recordsOut.add(found.recordCount, ordering: .relaxed)
        } catch {
            response.errorCode = error.kafkaErrorCode
            response.highWatermark = partition.log.highWatermark
            response.logStartOffset = partition.log.logStartOffset
        }
        return response
    }
}
