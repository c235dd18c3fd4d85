import Foundation

extension RPCConnection {
    /// The reader thread's whole life: frames in, dispatch, until the stream ends or turns hostile.
    func readLoop(_ initial: RPCFrameDecoder) {
        var decoder = initial
        var reason: RPCError
        readFrames: while true {
            while true {
                let frame: RPCFrame?
                do {
                    frame = try decoder.next()
                } catch {
                    if case .bodyChecksum(let header, _, _) = error {
                        // The frame boundary is intact: refuse this one frame and keep reading.
                        if header.type == .request { sendError(header.correlationId, .badFrame, error.description) }
                        continue
                    }
                    let code: RPCErrorCode = if case .frameTooLarge = error { .frameTooLarge } else { .badFrame }
                    sendError(0, code, error.description)
                    reason = .connectionClosed("peer sent a bad frame: \(error)")
                    break readFrames
                }
                guard let frame else { break }
                if let violation = handle(frame) {
                    reason = violation
                    break readFrames
                }
            }
            do {
                let count = try decoder.receive { (buffer) throws(PosixError) -> Int in try self.readSome(buffer) }
                if count == 0 {
                    reason = endOfStreamReason(midFrame: decoder.hasPartialFrame)
                    break
                }
            } catch {
                reason = readFailureReason(error)
                break
            }
        }
        finish(reason)
    }

    private func readSome(_ buffer: UnsafeMutableRawBufferPointer) throws(PosixError) -> Int {
        while true {
            switch try socket.read(into: buffer) {
            case .processed(let count):
                // A peer trickling its hello a byte at a time would otherwise never hit the timeout.
                if count > 0, MonotonicClock.milliseconds() >= handshakeDeadlineMs,
                    !lifecycle.withLock({ $0.handshakeDone })
                {
                    throw PosixError(call: "read", errno: ETIMEDOUT)
                }
                return count
            case .wouldBlock:
                // Only the server's handshake sets a receive timeout.
                if !lifecycle.withLock({ $0.handshakeDone }) { throw PosixError(call: "read", errno: ETIMEDOUT) }
            }
        }
    }

    private func endOfStreamReason(midFrame: Bool) -> RPCError {
        let state = lifecycle.withLock { $0 }
        if let abort = state.abortReason { return abort }
        if midFrame { return .connectionClosed("peer disconnected in the middle of a frame") }
        if state.goodbyeReceived {
            awaitLocalDrain()
            return .connectionClosed("closed cleanly")
        }
        return .connectionClosed("peer closed the connection")
    }

    private func readFailureReason(_ error: PosixError) -> RPCError {
        if let abort = lifecycle.withLock({ $0.abortReason }) { return abort }
        if error.errno == ETIMEDOUT { return .handshakeFailed("no hello within \(options.connectTimeoutMs) ms") }
        return .connectionClosed(error.description)
    }

    /// Routes one frame; returns a reason to close the connection, or nil to go on.
    private func handle(_ frame: RPCFrame) -> RPCError? {
        let header = frame.header
        switch header.type {
        case .response:
            complete(header.correlationId, .success(frame.body))
        case .error:
            let (code, message) = RPCErrorBody.decode(frame.body)
            if header.correlationId == 0 { return .remote(code, message) }
            complete(header.correlationId, .failure(.remote(code, message)))
        case .request, .oneWay:
            awaitCapacity()
            guard lifecycle.withLock({ $0.handshakeDone }) else {
                sendError(0, .protocolViolation, "a \(header.type) frame arrived before the handshake")
                return .handshakeFailed("peer skipped the handshake")
            }
            dispatch(frame)
        case .goodbye:
            lifecycle.withLock { $0.goodbyeReceived = true }
            calls.withLock { $0.refusal = $0.refusal ?? .connectionClosed("peer is closing") }
            sendGoodbyeIfDrained()
        case .hello:
            return acceptHello(frame)
        case .helloAck:
            sendError(0, .protocolViolation, "unexpected helloAck")
            return .connectionClosed("peer sent an unexpected helloAck")
        }
        return nil
    }

    /// Holds the reader (and so, through TCP, the peer) while this connection is over its limits.
    private func awaitCapacity() {
        while !isClosed {
            let busy = lifecycle.withLock { $0.handlersInFlight >= options.handlersInFlightMax }
            if !busy && writer.queuedBytes <= options.queuedBytesMax { return }
            usleep(200)
        }
    }

    private func acceptHello(_ frame: RPCFrame) -> RPCError? {
        guard role == .server, !lifecycle.withLock({ $0.handshakeDone }) else {
            sendError(0, .protocolViolation, "unexpected hello")
            return .connectionClosed("peer sent an unexpected hello")
        }
        guard let hello = try? RPCHandshake.decodeHello(frame.body) else {
            sendError(0, .badFrame, "malformed hello")
            return .handshakeFailed("malformed hello")
        }
        guard let version = RPCHandshake.choose(hello.versions) else {
            let ours = RPCHandshake.versions
            let message =
                "no common protocol version: peer speaks \(hello.versions.lowerBound)-\(hello.versions.upperBound), "
                + "this server \(ours.lowerBound)-\(ours.upperBound)"
            sendError(0, .unsupportedVersion, message)
            return .handshakeFailed(message)
        }
        peerName.withLock { $0 = hello.name }
        lifecycle.withLock { $0.handshakeDone = true }
        try? socket.setReceiveTimeout(ms: 0)
        sendFrame(.helloAck, 0, 0, RPCHandshake.encodeAck(version: version, name: options.name))
        return nil
    }

    private func dispatch(_ frame: RPCFrame) {
        let header = frame.header
        let isRequest = header.type == .request
        guard let entry = handlers.entry(header.messageKind) else {
            if isRequest {
                sendError(
                    header.correlationId, .unknownMessageKind, "no handler for message kind \(header.messageKind)")
            }
            return
        }
        let admitted = lifecycle.withLock { state -> Bool in
            if state.goodbyeSent || state.closedReason != nil { return false }
            state.handlersInFlight += 1
            return true
        }
        guard admitted else {
            if isRequest { sendError(header.correlationId, .shuttingDown, "connection is closing") }
            return
        }
        let context = RPCRequestContext(connection: self, messageKind: header.messageKind)
        Task(priority: .control) { [self] in
            await self.run(entry, context, frame.body, isRequest ? header.correlationId : nil)
            self.handlerFinished()
        }
    }

    private func run(_ entry: RPCHandlers.Entry, _ context: RPCRequestContext, _ body: [UInt8], _ id: UInt64?) async {
        switch entry {
        case .oneWay(let handler):
            await handler(context, body)
            if let id { sendFrame(.response, context.messageKind, id, []) }
        case .request(let handler):
            do {
                let response = try await handler(context, body)
                guard let id else { return }
                if response.count > options.frameBytesMax - RPCFrameHeader.byteCount {
                    sendError(id, .frameTooLarge, "response of \(response.count) bytes exceeds the frame limit")
                } else {
                    sendFrame(.response, context.messageKind, id, response)
                }
            } catch let error as RPCHandlerError {
                if let id { sendError(id, error.code, error.message) }
            } catch {
                if let id { sendError(id, .handlerFailed, String(describing: error)) }
            }
        }
    }

    private func handlerFinished() {
        lifecycle.withLock { state in
            precondition(state.handlersInFlight > 0, "a handler finished that never started")
            state.handlersInFlight -= 1
        }
        sendGoodbyeIfDrained()
    }
}
