import Wire

/// The local read path (as HDFS's short-circuit reads): when the partition's leader shares this
/// host's files, the client asks it where the batches lie (SpateLocalRead) and preads them from
/// the segment files, skipping the socket copy. The bytes are exactly a Fetch's records, so the
/// answer is the same `FetchedPartition`. Anything unexpected (a broker that does not serve the
/// request, a host token that does not match, a file gone or shorter than the region) leaves the
/// fetch to the socket; a broker found remote is never asked again.
extension KafkaClient {
    /// How local reads went so far (for tests and figures).
    public var localReadCounts: LocalReadCounts { localReads.counts }

    /// One partition from `offset` read from the leader's segment files, or nil to fetch it instead.
    func localFetch(_ key: TopicPartition, offset: Int64, options: FetchOptions) -> FetchedPartition? {
        guard let node = try? leader(of: key), !localReads.isRemote(node.address) else { return nil }
        let maxBytes = options.maxBytes > 0 ? min(options.maxBytes, options.partitionMaxBytes) : 0
        let request = LocalReadRequest(
            topic: key.topic, partition: key.partition, fetchOffset: offset, maxBytes: maxBytes)
        let response: LocalReadResponse
        switch askLocalRead(request, node: node) {
        case .answered(let answer): response = answer
        case .unreachable: return nil
        case .refused:
            localReads.markRemote(node.address)
            return nil
        }
        // Errors, and an empty answer (Fetch long-polls for it), are the socket path's to handle.
        guard response.errorCode == .noError, !response.regions.isEmpty else { return nil }
        guard localReads.holdsToken(response.hostToken, at: response.tokenPath) else {
            localReads.markRemote(node.address)
            localReads.fallbacks.add(1, ordering: .relaxed)
            return nil
        }
        guard let records = readRegions(of: response) else {
            localReads.fallbacks.add(1, ordering: .relaxed)
            return nil
        }
        do throws(KafkaClientError) {
            let fetched = try FetchedPartition(
                topic: key.topic, partition: key.partition, fetchOffset: offset,
                highWatermark: response.highWatermark, lastStableOffset: response.highWatermark,
                logStartOffset: response.logStartOffset, records: records, verifyCRC: options.verifyCRC)
            localReads.localBytes.add(Int64(records.count), ordering: .relaxed)
            return fetched
        } catch {
            localReads.fallbacks.add(1, ordering: .relaxed)
            recycleFrame(records.storage)
            return nil
        }
    }

    private enum LocalReadAnswer {
        case answered(LocalReadResponse)
        /// No connection: the Fetch that follows reports (and retries) it.
        case unreachable
        /// The broker closed the connection on the request (as Kafka and a Spate broker with local
        /// reads off do), let it time out, or answered nonsense.
        case refused
    }

    private func askLocalRead(_ request: LocalReadRequest, node: BrokerNode) -> LocalReadAnswer {
        guard let connection = try? pool.checkOutFetch(node) else { return .unreachable }
        defer { pool.checkIn(connection) }
        let waiter = ResponseWaiter()
        // Registered as a Fetch: the key only names the request in a timeout error.
        connection.sendFrame(
            request.frame(clientId: config.clientId), apiKey: .fetch, expectsResponse: true,
            timeoutMs: config.requestTimeoutMs, handler: waiter.handler)
        guard let outcome = waiter.wait(timeoutMs: config.requestTimeoutMs + 5_000) else {
            connection.fail(.timedOut(.fetch, broker: node.address, afterMs: config.requestTimeoutMs))
            return .refused
        }
        guard case .success(let frame) = outcome, let decoded = try? LocalReadResponse.decode(frame: frame) else {
            return .refused
        }
        return .answered(decoded.response)
    }

    /// The regions' bytes back to back in one frame array (recycled like a Fetch frame), or nil
    /// when a file cannot be opened or ends before its region does.
    private func readRegions(of response: LocalReadResponse) -> SharedBytes? {
        let (regions, token, total) = (response.regions, response.hostToken, response.totalBytes)
        guard total <= config.responseBytesMax else { return nil }
        var buffer = pool.frames.take(count: total)
        var start = 0
        for region in regions {
            let count = Int(region.count)
            let complete = buffer.withUnsafeMutableBytes { raw -> Bool in
                let target = UnsafeMutableRawBufferPointer(rebasing: raw[start..<start + count])
                guard let file = try? localReads.file(region.path, token: token) else { return false }
                guard (try? file.readFully(target, at: region.position)) == true else {
                    localReads.forget(region.path, token: token)
                    return false
                }
                return true
            }
            guard complete else {
                recycleFrame(buffer)
                return nil
            }
            start += count
        }
        return SharedBytes(buffer, range: 0..<total)
    }
}
