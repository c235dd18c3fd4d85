import Synchronization
import Testing
import Wire

@testable import Query

/// The shared-secret handshake over a live RPC connection: the right secret opens every handler,
/// a wrong or missing one gets `unauthorized` and a closed connection.
@Suite struct ClusterAuthTests {
    static let echo: UInt16 = 1
    static let patientMs = 60_000

    /// A server whose echo handler sits behind a gate for `secret`; nonces count up so each is fresh.
    static func server(secret: String?) throws -> (RPCServer, SocketAddress) {
        var options = RPCOptions()
        options.callTimeoutMs = patientMs
        options.closeTimeoutMs = patientMs
        let server = RPCServer(options: options)
        let counter = Atomic<UInt8>(0)
        let gate = ClusterAuthGate(secret: secret) {
            let seed = counter.add(1, ordering: .relaxed).newValue
            return (0..<UInt8(ClusterAuth.nonceBytes)).map { $0 &+ seed }
        }
        gate.install(on: server.handlers)
        server.handlers.register(echo, gate.guarded { _, body in body })
        return (server, try server.start(on: SocketAddress(parsing: "127.0.0.1:0")))
    }

    static func connect(_ address: SocketAddress) async throws -> RPCConnection {
        var options = RPCOptions()
        options.callTimeoutMs = patientMs
        return try await RPCClient.connect(to: address, options: options)
    }

    /// Waits (with a generous safety net) until the connection has closed.
    static func closes(_ connection: RPCConnection) async -> Bool {
        let deadline = MonotonicClock.milliseconds() + UInt64(patientMs)
        while !connection.isClosed && MonotonicClock.milliseconds() < deadline {
            try? await Task.sleep(nanoseconds: 2_000_000)
        }
        return connection.isClosed
    }

    @Test func proofIsTheHMACOfTheNonce() {
        let nonce = [UInt8](repeating: 7, count: 32)
        #expect(
            ClusterAuth.proof(secret: "s3cret", nonce: nonce)
                == HMACSHA256.authenticate(message: nonce, key: Array("s3cret".utf8)))
        #expect(ClusterAuth.proof(secret: "s3cret", nonce: nonce) != ClusterAuth.proof(secret: "s3cres", nonce: nonce))
    }

    @Test func rightSecretOpensTheHandlers() async throws {
        let (server, address) = try Self.server(secret: "s3cret")
        let connection = try await Self.connect(address)
        try await ClusterAuth.authenticate(connection, secret: "s3cret")
        #expect(try await connection.call(Self.echo, [1, 2, 3]) == [1, 2, 3])
        await connection.close()
        await server.stop()
    }

    @Test func wrongSecretIsRefusedAndTheConnectionClosed() async throws {
        let (server, address) = try Self.server(secret: "s3cret")
        let connection = try await Self.connect(address)
        await #expect(throws: ClusterAuthError.rejected("wrong secret")) {
            try await ClusterAuth.authenticate(connection, secret: "guess")
        }
        #expect(await Self.closes(connection))
        await server.stop()
    }

    @Test func requestWithoutAuthenticationIsRefused() async throws {
        let (server, address) = try Self.server(secret: "s3cret")
        let connection = try await Self.connect(address)
        await #expect {
            try await connection.call(Self.echo, [9])
        } throws: { error in
            guard case .remote(let code, _) = error as? RPCError else { return false }
            return code == .unauthorized
        }
        #expect(await Self.closes(connection))
        await server.stop()
    }

    @Test func proofWithoutChallengeIsRefused() async throws {
        let (server, address) = try Self.server(secret: "s3cret")
        let connection = try await Self.connect(address)
        let proof = AuthProof(mac: ClusterAuth.proof(secret: "s3cret", nonce: [UInt8](repeating: 1, count: 32)))
        await #expect(throws: RPCError.self) {
            try await connection.call(ClusterMessageKind.authProof.rawValue, proof.encoded())
        }
        #expect(await Self.closes(connection))
        await server.stop()
    }

    @Test func serverWithoutSecretServesEveryoneAndAcceptsAnyProof() async throws {
        let (server, address) = try Self.server(secret: nil)
        let plain = try await Self.connect(address)
        #expect(try await plain.call(Self.echo, [4]) == [4])
        let withSecret = try await Self.connect(address)
        try await ClusterAuth.authenticate(withSecret, secret: "anything")
        #expect(try await withSecret.call(Self.echo, [5]) == [5])
        await plain.close()
        await withSecret.close()
        await server.stop()
    }
}
