import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// The reader thread: hands each response to the oldest pending request and fails the connection
/// when a deadline passes, the broker closes, or the byte stream stops making sense.
extension BrokerConnection {
    /// How long one poll may sleep, so a request added while the thread sleeps has its deadline
    /// checked within this bound (deadlines are always at least a second away).
    static let pollSliceMs = 500

    func readLoop(_ initial: ResponseFramer) {
        var framer = initial
        // Under the writer lock, so no writer is between its failure check and its write.
        defer { writer.withLock { _ in socket.close() } }
        while failure == nil {
            if let error = step(&framer) {
                fail(error)
                return
            }
        }
    }

    /// Delivers buffered frames, then waits for and reads more bytes; returns why to stop, if so.
    private func step(_ framer: inout ResponseFramer) -> KafkaClientError? {
        do throws(FramingError) {
            while let frame = try framer.next() {
                if let error = deliver(frame) { return error }
            }
        } catch {
            guard case .badSize(let size, let limit) = error else { return nil }
            return .connectionLost(broker: node.address, reason: "response size \(size) is outside 0...\(limit)")
        }
        let (waitMs, overdue) = nextDeadline()
        if let overdue { return .timedOut(overdue.apiKey, broker: node.address, afterMs: overdue.timeoutMs) }
        do throws(PosixError) {
            guard try socket.poll(events: Int16(POLLIN), timeoutMs: waitMs) else { return nil }
            let got = try framer.read(from: socket)
            if got == 0 {
                let partial = framer.partialBytes
                let reason =
                    partial > 0
                    ? "the broker closed the connection in the middle of a response (\(partial) bytes received)"
                    : "the broker closed the connection"
                return .connectionLost(broker: node.address, reason: reason)
            }
            return nil
        } catch {
            return .connectionLost(broker: node.address, reason: Self.reason(error))
        }
    }

    /// How long to poll, or the request whose deadline has passed.
    private func nextDeadline() -> (waitMs: Int, overdue: PendingRequest?) {
        let nowNs = MonotonicClock.nanoseconds()
        return state.withLock { state in
            guard let earliest = state.pending.min(by: { $0.deadlineNs < $1.deadlineNs }) else {
                return (Self.pollSliceMs, nil)
            }
            if earliest.deadlineNs <= nowNs { return (0, earliest) }
            let leftMs = Int((earliest.deadlineNs - nowNs) / 1_000_000) + 1
            return (min(leftMs, Self.pollSliceMs), nil)
        }
    }

    /// Completes the oldest pending request with `frame`; a frame for anyone else breaks the connection.
    private func deliver(_ frame: [UInt8]) -> KafkaClientError? {
        guard let correlationId = try? KafkaResponseHeader.peekCorrelationId(frame) else {
            return .connectionLost(broker: node.address, reason: "a response frame is too short for its header")
        }
        let matched = state.withLock { state -> Result<PendingRequest, KafkaClientError> in
            guard let oldest = state.pending.first else {
                return .failure(
                    .connectionLost(
                        broker: node.address, reason: "response \(correlationId) arrived with no request outstanding"))
            }
            guard oldest.correlationId == correlationId else {
                return .failure(
                    .connectionLost(
                        broker: node.address,
                        reason: "response \(correlationId) arrived while \(oldest.correlationId) was expected"))
            }
            return .success(state.pending.removeFirst())
        }
        switch matched {
        case .success(let request):
            request.handler(.success(frame))
            return nil
        case .failure(let error):
            return error
        }
    }
}
