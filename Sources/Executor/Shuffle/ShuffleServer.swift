import Query
import Wire

/// The executor's RPC server for other executors: serves `fetchShuffleBlock` from the shuffle
/// store, behind the shared secret when one is set.
final class ShuffleServer: Sendable {
    private let server: RPCServer
    /// Where it listens.
    let address: SocketAddress

    /// Starts listening on `bindHost:port` (port 0 picks one).
    init(bindHost: String, port: UInt16, options: RPCOptions, secret: String?, store: ShuffleStore)
        throws(ExecutorError)
    {
        let handlers = RPCHandlers()
        let gate = ClusterAuthGate(secret: secret, nonce: { randomNonce() })
        gate.install(on: handlers)
        handlers.register(
            ClusterMessageKind.fetchShuffleBlock.rawValue,
            gate.guarded { _, body in try Self.serve(body, store: store) })
        server = RPCServer(options: options, handlers: handlers)
        do {
            address = try server.start(on: try SocketAddress(host: bindHost, port: port))
        } catch let error as SocketAddress.ParseError {
            throw .badAddress("--bind \(bindHost): \(error)")
        } catch {
            throw .listenFailed("cannot serve shuffle blocks on \(bindHost):\(port): \(error)")
        }
    }

    private static func serve(_ body: [UInt8], store: ShuffleStore) throws -> [UInt8] {
        let request: ShuffleBlockRequest
        do {
            request = try ShuffleBlockRequest.decode(body)
        } catch {
            throw RPCHandlerError(.badRequest, "malformed shuffle block request: \(error)")
        }
        let key = ShuffleKey(
            jobId: request.jobId, batchId: request.batchId, stage: request.stage, mapPartition: request.mapPartition)
        guard let block = store.block(key, reducePartition: request.reducePartition) else {
            throw RPCHandlerError(
                .badRequest,
                "no shuffle output of job \(request.jobId) batch \(request.batchId) stage \(request.stage) "
                    + "map partition \(request.mapPartition) for reduce partition \(request.reducePartition) here")
        }
        return block
    }

    /// Stops listening and closes every peer's connection.
    func stop() async {
        await server.stop()
    }
}

/// 32 bytes from the system's random source, for authentication challenges.
func randomNonce() -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<ClusterAuth.nonceBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}
