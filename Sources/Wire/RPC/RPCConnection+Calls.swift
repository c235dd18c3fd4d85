import Dispatch

extension RPCConnection {
    /// Sends a request of `kind` and suspends until its response, an error frame, the deadline
    /// (`timeoutMs`, else the options' default) or the end of the connection. Pass
    /// `checksumBody: false` only for payloads that carry their own end-to-end checksum.
    public func call(_ kind: UInt16, _ body: [UInt8], timeoutMs: Int? = nil, checksumBody: Bool = true)
        async throws(RPCError) -> [UInt8]
    {
        let limit = options.frameBytesMax - RPCFrameHeader.byteCount
        guard body.count <= limit else {
            throw .frameTooLarge(bytes: body.count + RPCFrameHeader.byteCount, limit: options.frameBytesMax)
        }
        let id = nextCorrelationId.add(1, ordering: .relaxed).oldValue
        let timeout = max(0, timeoutMs ?? options.callTimeoutMs)
        let deadline = MonotonicClock.nanoseconds() &+ UInt64(timeout) &* 1_000_000
        let result = await withUnsafeContinuation { continuation in
            let refusal = calls.withLock { table -> RPCError? in
                if let refusal = table.refusal { return refusal }
                guard table.calls.count < options.inFlightCallsMax else {
                    return .tooManyInFlight(limit: options.inFlightCallsMax)
                }
                table.calls[id] = Pending(continuation: continuation, deadlineNs: deadline, timeoutMs: timeout)
                table.earliestDeadlineNs = min(table.earliestDeadlineNs, deadline)
                return nil
            }
            if let refusal {
                continuation.resume(returning: .failure(refusal))
                return
            }
            let flags = checksumBody ? 0 : RPCFrameHeader.flagBodyChecksumOmitted
            if let failure = sendFrame(.request, kind, id, body, flags: flags) {
                complete(id, .failure(.connectionClosed(failure.description)))
            }
        }
        return try result.get()
    }

    /// Sends a one-way message of `kind`; nothing comes back.
    public func send(_ kind: UInt16, _ body: [UInt8]) throws(RPCError) {
        let limit = options.frameBytesMax - RPCFrameHeader.byteCount
        guard body.count <= limit else {
            throw .frameTooLarge(bytes: body.count + RPCFrameHeader.byteCount, limit: options.frameBytesMax)
        }
        if let refusal = calls.withLock({ $0.refusal }) { throw refusal }
        if let failure = sendFrame(.oneWay, kind, 0, body) { throw .connectionClosed(failure.description) }
    }

    /// Number of calls waiting for a response.
    public var callsInFlight: Int { calls.withLock { $0.calls.count } }

    /// Writes one frame; returns the write failure, if any (the reader notices and closes).
    @discardableResult
    func sendFrame(
        _ type: RPCFrameType, _ kind: UInt16, _ id: UInt64, _ body: [UInt8], flags: UInt16 = 0,
        thenShutdownWrite: Bool = false
    ) -> PosixError? {
        let header = RPCFrame.header(type: type, messageKind: kind, correlationId: id, body: body, flags: flags)
        var writer = ByteWriter(
            capacity: RPCFrameHeader.byteCount + (body.count < FrameWriteQueue.coalesceBytesMax ? body.count : 0))
        header.encode(into: &writer)
        let chunks: [[UInt8]]
        if body.count < FrameWriteQueue.coalesceBytesMax {
            writer.writeBytes(body)
            chunks = [writer.bytes]
        } else {
            chunks = [writer.bytes, body]
        }
        do {
            try self.writer.write(chunks, thenShutdownWrite: thenShutdownWrite)
            return nil
        } catch {
            return error
        }
    }

    func sendError(_ id: UInt64, _ code: RPCErrorCode, _ message: String) {
        sendFrame(.error, 0, id, RPCErrorBody.encode(code, message))
    }

    /// Ends the call `id` with `result`; a call ends exactly once, later answers are ignored.
    func complete(_ id: UInt64, _ result: Result<[UInt8], RPCError>) {
        let pending = calls.withLock { $0.calls.removeValue(forKey: id) }
        pending?.continuation.resume(returning: result)
    }

    /// Fails every call whose deadline has passed; returns the earliest deadline still pending.
    func expireDeadlines(nowNs: UInt64) -> UInt64 {
        let (expired, earliest) = calls.withLock { table -> ([Pending], UInt64) in
            guard nowNs >= table.earliestDeadlineNs else { return ([], table.earliestDeadlineNs) }
            var expired: [Pending] = []
            var earliest = UInt64.max
            for (id, pending) in table.calls {
                if pending.deadlineNs <= nowNs {
                    expired.append(pending)
                    table.calls[id] = nil
                } else {
                    earliest = min(earliest, pending.deadlineNs)
                }
            }
            table.earliestDeadlineNs = earliest
            return (expired, earliest)
        }
        for pending in expired {
            pending.continuation.resume(returning: .failure(.deadlineExceeded(ms: pending.timeoutMs)))
        }
        return earliest
    }

    /// The service thread: carries out writes the socket could not take at once and sweeps
    /// deadlines, so neither ever blocks or depends on Swift's shared thread pool.
    func serviceLoop() {
        while !(isClosed && !writer.isFlushing) {
            writer.flushHandedOff()
            let now = MonotonicClock.nanoseconds()
            let earliest = expireDeadlines(nowNs: now)
            // Wake for the earliest deadline, and at least every 10 ms for calls registered since.
            let untilNs = earliest == .max ? UInt64.max : earliest &- min(earliest, now)
            let waitNs = min(max(untilNs, 1_000_000), 10_000_000)
            _ = writer.wakeup.wait(timeout: DispatchTime.now() + DispatchTimeInterval.nanoseconds(Int(waitNs)))
        }
    }
}
