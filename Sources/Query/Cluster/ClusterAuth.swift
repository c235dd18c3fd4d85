import Synchronization
import Wire

/// Why a client could not authenticate.
public enum ClusterAuthError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server refused the proof (wrong secret) or wants one the client did not give.
    case rejected(String)
    /// The server's challenge did not decode.
    case malformedChallenge(DecodeError)
    /// The connection failed during the exchange.
    case transport(RPCError)

    /// One line for the user.
    public var description: String {
        switch self {
        case .rejected(let message): "authentication refused: \(message)"
        case .malformedChallenge(let error): "malformed authentication challenge: \(error)"
        case .transport(let error): "authentication failed: \(error)"
        }
    }
}

/// The client side of Spate's challenge-response: the server sends a fresh 32-byte nonce, the
/// client answers HMAC-SHA256(secret, nonce). The secret itself never crosses the wire.
public enum ClusterAuth {
    /// Bytes of a challenge nonce.
    public static let nonceBytes = 32

    /// HMAC-SHA256 of `nonce` keyed by the secret's UTF-8 bytes.
    public static func proof(secret: String, nonce: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticate(message: nonce, key: Array(secret.utf8))
    }

    /// Proves knowledge of `secret` on a fresh connection; call it before any other request.
    /// A server without a secret accepts any proof, so passing one is always safe.
    public static func authenticate(_ connection: RPCConnection, secret: String, timeoutMs: Int = 10_000)
        async throws(ClusterAuthError)
    {
        let challengeBytes = try await call(connection, .authChallenge, [], timeoutMs)
        let challenge: AuthChallenge
        do throws(DecodeError) {
            challenge = try AuthChallenge.decode(challengeBytes)
        } catch {
            throw .malformedChallenge(error)
        }
        let mac = proof(secret: secret, nonce: challenge.nonce)
        _ = try await call(connection, .authProof, AuthProof(mac: mac).encoded(), timeoutMs)
    }

    private static func call(_ connection: RPCConnection, _ kind: ClusterMessageKind, _ body: [UInt8], _ timeoutMs: Int)
        async throws(ClusterAuthError) -> [UInt8]
    {
        do throws(RPCError) {
            return try await connection.call(kind.rawValue, body, timeoutMs: timeoutMs)
        } catch {
            if case .remote(let code, let message) = error, code == .unauthorized { throw .rejected(message) }
            throw .transport(error)
        }
    }
}

/// The server side: installs the `authChallenge`/`authProof` handlers and wraps every other
/// handler so it runs only on a connection that has proved the secret. A request on a connection
/// that has not gets an `unauthorized` error and the connection is closed; so does a wrong proof.
/// Without a secret every connection counts as authenticated.
public final class ClusterAuthGate: Sendable {
    private enum Standing {
        case challenged([UInt8])
        case authenticated
    }

    private let key: [UInt8]?
    private let nonceSource: @Sendable () -> [UInt8]
    private let standings = Mutex<[ObjectIdentifier: Standing]>([:])

    /// A gate for `secret` (nil: open); `nonce` returns `ClusterAuth.nonceBytes` fresh random bytes
    /// (read from /dev/urandom by the caller; Query does no I/O).
    public init(secret: String?, nonce: @escaping @Sendable () -> [UInt8]) {
        key = secret.map { Array($0.utf8) }
        nonceSource = nonce
    }

    /// Whether connections must authenticate.
    public var isEnabled: Bool { key != nil }

    /// Registers the two authentication handlers on `handlers`.
    public func install(on handlers: RPCHandlers) {
        handlers.register(ClusterMessageKind.authChallenge.rawValue) { [self] context, _ in
            let nonce = nonceSource()
            precondition(nonce.count == ClusterAuth.nonceBytes, "the nonce source must give 32 bytes")
            standings.withLock { $0[ObjectIdentifier(context.connection)] = .challenged(nonce) }
            context.connection.onClose { [weak self] _ in self?.forget(context.connection) }
            return AuthChallenge(nonce: nonce).encoded()
        }
        handlers.register(ClusterMessageKind.authProof.rawValue) { [self] context, body in
            try checkProof(context.connection, body)
            return []
        }
    }

    /// `handler`, run only for authenticated connections.
    public func guarded(_ handler: @escaping RPCHandlers.Request) -> RPCHandlers.Request {
        { [self] context, body in
            try admit(context.connection)
            return try await handler(context, body)
        }
    }

    /// The one-way `handler`, run only for authenticated connections (others are closed).
    public func guardedOneWay(_ handler: @escaping RPCHandlers.OneWay) -> RPCHandlers.OneWay {
        { [self] context, body in
            guard (try? admit(context.connection)) != nil else { return }
            await handler(context, body)
        }
    }

    /// Whether `connection` may make requests.
    public func isAuthenticated(_ connection: RPCConnection) -> Bool {
        guard key != nil else { return true }
        return standings.withLock { standing in
            if case .authenticated = standing[ObjectIdentifier(connection)] { return true }
            return false
        }
    }

    private func admit(_ connection: RPCConnection) throws(RPCHandlerError) {
        guard !isAuthenticated(connection) else { return }
        refuse(connection)
        throw RPCHandlerError(.unauthorized, "authenticate first: this server requires a shared secret")
    }

    private func checkProof(_ connection: RPCConnection, _ body: [UInt8]) throws(RPCHandlerError) {
        guard let key else { return }
        let id = ObjectIdentifier(connection)
        let standing = standings.withLock { $0.removeValue(forKey: id) }
        guard case .challenged(let nonce) = standing else {
            refuse(connection)
            throw RPCHandlerError(.unauthorized, "no challenge outstanding: ask for one first")
        }
        let proof = try? AuthProof.decode(body)
        let expected = HMACSHA256.authenticate(message: nonce, key: key)
        guard let proof, HMACSHA256.equal(proof.mac, expected) else {
            refuse(connection)
            throw RPCHandlerError(.unauthorized, "wrong secret")
        }
        standings.withLock { $0[id] = .authenticated }
    }

    /// Closes the connection once the refusal has been sent (a clean close waits for handlers).
    private func refuse(_ connection: RPCConnection) {
        forget(connection)
        Task { await connection.close() }
    }

    private func forget(_ connection: RPCConnection) {
        _ = standings.withLock { $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }
}
