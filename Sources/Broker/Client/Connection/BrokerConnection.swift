import Foundation
import Synchronization
import Wire

/// One TCP connection to one broker: ApiVersions first, then pipelined requests whose responses are
/// matched in order by correlation id. A dedicated thread reads responses and enforces each request's
/// deadline; callers either block in `call` or pass a handler to `send`. Any failure closes the
/// connection and fails every outstanding request; the pool then opens a new one on next use.
final class BrokerConnection: Sendable {
    struct State {
        var pending: [PendingRequest] = []
        var failure: KafkaClientError?
    }

    let node: BrokerNode
    let versions: NegotiatedVersions
    let clientId: String
    let socket: Socket
    /// The next correlation id; held while a frame is written so ids reach the wire in order.
    let writer = Mutex<Int32>(1)
    let state = Mutex(State())

    init(node: BrokerNode, socket: Socket, versions: NegotiatedVersions, clientId: String) {
        self.node = node
        self.socket = socket
        self.versions = versions
        self.clientId = clientId
    }

    /// Connects to `node`, negotiates versions, and starts the reader thread.
    static func open(_ node: BrokerNode, config: KafkaClientConfig, frames: FrameBufferPool) throws(KafkaClientError)
        -> BrokerConnection
    {
        let socket = try connect(node, timeoutMs: config.connectTimeoutMs)
        var framer = ResponseFramer(frameBytesMax: config.responseBytesMax, frames: frames)
        let versions: NegotiatedVersions
        do throws(KafkaClientError) {
            versions = try ApiVersionsHandshake.run(
                socket, framer: &framer, node: node, clientId: config.clientId, timeoutMs: config.connectTimeoutMs)
        } catch {
            socket.close()
            throw error
        }
        let connection = BrokerConnection(node: node, socket: socket, versions: versions, clientId: config.clientId)
        let handedOver = framer
        let reader = Thread { [connection] in connection.readLoop(handedOver) }
        reader.name = "spate-kafka-read"
        reader.stackSize = 256 * 1024
        reader.start()
        return connection
    }

    private static func connect(_ node: BrokerNode, timeoutMs: Int) throws(KafkaClientError) -> Socket {
        guard let port = UInt16(exactly: node.port) else {
            throw .badAddress(node.address, reason: "port \(node.port) is outside 0...65535")
        }
        let address: SocketAddress
        do {
            address = try SocketAddress(host: node.host, port: port)
        } catch {
            throw .unreachable(broker: node.address, reason: error.description)
        }
        do {
            return try Socket.connect(to: address, timeoutMs: timeoutMs)
        } catch {
            throw .unreachable(broker: node.address, reason: Self.reason(error))
        }
    }

    /// The errno text of a socket failure, without the call name users need not see.
    static func reason(_ error: PosixError) -> String {
        String(cString: strerror(error.errno))
    }

    /// The failure that ended this connection, or nil while it is usable.
    var failure: KafkaClientError? { state.withLock { $0.failure } }

    /// Requests written and not yet answered.
    var inFlightCount: Int { state.withLock { $0.pending.count } }

    /// The version to use for `key`; throws when the broker and client share none.
    func version(for key: ApiKey) throws(KafkaClientError) -> Int16 {
        guard let version = versions.version(for: key) else { throw .unsupportedApi(key, broker: node.address) }
        return version
    }

    /// Sends `message` and blocks until its response arrives or `timeoutMs` passes.
    func call<Message: KafkaRequestMessage>(_ message: Message, timeoutMs: Int) throws(KafkaClientError)
        -> Message.Response
    {
        let version = try version(for: Message.apiKey)
        let waiter = ResponseWaiter()
        sendFrame(
            KafkaFrame.request(message, version: version, correlationId: 0, clientId: clientId),
            apiKey: Message.apiKey, expectsResponse: true, timeoutMs: timeoutMs, handler: waiter.handler)
        // The reader thread enforces the deadline; this longer wait only guards against its loss.
        guard let result = waiter.wait(timeoutMs: timeoutMs + 5_000) else {
            let error = KafkaClientError.timedOut(Message.apiKey, broker: node.address, afterMs: timeoutMs)
            fail(error)
            throw error
        }
        return try decode(Message.Response.self, result.get(), version: version)
    }

    /// Sends `message`; `handler` later gets the decoded response (or nil for a request that expects
    /// none, once written) or the failure, on the reader thread.
    func send<Message: KafkaRequestMessage>(
        _ message: Message, expectsResponse: Bool = true, timeoutMs: Int,
        handler: @escaping @Sendable (Result<Message.Response?, KafkaClientError>) -> Void
    ) {
        let version: Int16
        do throws(KafkaClientError) { version = try self.version(for: Message.apiKey) } catch {
            return handler(.failure(error))
        }
        let frame = KafkaFrame.request(message, version: version, correlationId: 0, clientId: clientId)
        sendFrame(frame, apiKey: Message.apiKey, expectsResponse: expectsResponse, timeoutMs: timeoutMs) {
            [self] result in
            switch result {
            case .failure(let error): handler(.failure(error))
            case .success where !expectsResponse: handler(.success(nil))
            case .success(let frame):
                handler(
                    Result { () throws(KafkaClientError) in try decode(Message.Response.self, frame, version: version) }
                )
            }
        }
    }

    private func decode<Response: KafkaResponseMessage>(_ type: Response.Type, _ frame: [UInt8], version: Int16)
        throws(KafkaClientError) -> Response
    {
        do throws(DecodeError) {
            return try KafkaFrame.decodeResponse(type, frame: frame, version: version).response
        } catch {
            throw .malformedResponse(Response.apiKey, broker: node.address, reason: error.description)
        }
    }

    /// Writes one request frame (its correlation id patched in here) and registers `handler`.
    func sendFrame(
        _ frame: [UInt8], apiKey: ApiKey, expectsResponse: Bool, timeoutMs: Int, handler: @escaping ResponseHandler
    ) {
        var frame = frame
        let outcome: WriteOutcome = writer.withLock { nextId in
            let id = nextId
            nextId = nextId == Int32.max ? 1 : nextId + 1
            // Size prefix (4), api key (2) and version (2) come before the correlation id.
            frame.withUnsafeMutableBytes { $0.storeBytes(of: id.bigEndian, toByteOffset: 8, as: Int32.self) }
            let refusal = state.withLock { state -> KafkaClientError? in
                if let failure = state.failure { return failure }
                guard expectsResponse else { return nil }
                let deadlineNs = MonotonicClock.nanoseconds() + UInt64(timeoutMs) * 1_000_000
                state.pending.append(
                    PendingRequest(
                        correlationId: id, apiKey: apiKey, timeoutMs: timeoutMs, deadlineNs: deadlineNs,
                        handler: handler))
                return nil
            }
            if let refusal { return .refused(refusal) }
            do throws(PosixError) {
                try socket.writeAll(frame)
                return .written
            } catch {
                return .writeFailed(.connectionLost(broker: node.address, reason: Self.reason(error)))
            }
        }
        switch outcome {
        case .written:
            if !expectsResponse { handler(.success([])) }
        case .refused(let error):
            handler(.failure(error))
        case .writeFailed(let error):
            // `fail` answers every registered handler, this one included when it expects a response.
            fail(error)
            if !expectsResponse { handler(.failure(error)) }
        }
    }

    private enum WriteOutcome {
        case written
        case refused(KafkaClientError)
        case writeFailed(KafkaClientError)
    }

    /// Ends the connection with `error`: every outstanding request fails with it. Idempotent.
    func fail(_ error: KafkaClientError) {
        let orphans = state.withLock { state -> [PendingRequest] in
            guard state.failure == nil else { return [] }
            state.failure = error
            // Shut down while holding the lock: the reader closes the descriptor only after it has seen
            // the failure, so this never touches a descriptor number the kernel has reused.
            socket.shutdown()
            defer { state.pending = [] }
            return state.pending
        }
        for request in orphans { request.handler(.failure(error)) }
    }

    /// Closes the connection; outstanding requests fail as lost.
    func close() {
        fail(.connectionLost(broker: node.address, reason: "the connection was closed by the client"))
    }
}
