import Foundation
import Testing

@testable import Wire

/// Peers that vanish in the middle of a frame, seen from the server and from the client.
@Suite struct RPCHostileDisconnectTests {
    /// Where a frame is cut: bytes kept out of a frame whose body has `bodyBytes` bytes.
    struct Cut: Sendable, CustomStringConvertible {
        let name: String
        let bodyBytes: Int
        let keptBytes: Int
        var description: String { name }
    }

    static let cuts = [
        Cut(name: "half a header", bodyBytes: 100, keptBytes: 16),
        Cut(name: "a header and no body", bodyBytes: 100, keptBytes: 32),
        Cut(name: "a header and half the body", bodyBytes: 100, keptBytes: 32 + 50),
        Cut(name: "a large body, half sent", bodyBytes: 200_000, keptBytes: 32 + 100_000),
        Cut(name: "a large body's header only", bodyBytes: 200_000, keptBytes: 32),
    ]

    @Test(arguments: cuts) func serverOutlivesClientThatDiesMidFrame(_ cut: Cut) async throws {
        let fixture = try RPCTestServer()
        let accepted = AcceptedConnections(fixture.server)
        let address = fixture.address
        try await onThread("mid-frame-client") {
            let peer = try RawPeer(connectingTo: address)
            try peer.handshake()
            let frame = HostileBytes.frame(
                .request, kind: RPCTestServer.echo, id: 3, body: [UInt8](repeating: 7, count: cut.bodyBytes))
            try peer.write(Array(frame[0..<cut.keptBytes]))
            peer.socket.close()
        }
        let first = try #require(await eventually { accepted.all.first?.isClosed == true } ? accepted.all.first : nil)
        guard case .connectionClosed(let why) = first.closedReason, why.contains("middle of a frame") else {
            Issue.record("cut after \(cut): server closed with \(String(describing: first.closedReason))")
            return
        }
        let client = try await fixture.connect()
        #expect(try await client.call(RPCTestServer.echo, [1, 2, 3]) == [1, 2, 3])
        #expect(await eventually { fixture.server.connectionCount == 1 })
        await client.close()
        await fixture.server.stop()
    }

    /// "Promptly" means on the end of stream, not at the deadline: the call's deadline is the safety
    /// net away, so a client that missed the cut would fail with `deadlineExceeded` instead.
    @Test(arguments: cuts) func clientCallFailsPromptlyWhenServerDiesMidResponse(_ cut: Cut) async throws {
        let fake = try FakeRPCServer()
        let served = fake.serveOne { peer in
            let event = peer.next(timeoutMs: safetyNetMs)
            guard case .frame(let request) = event, request.type == RPCFrameType.request.rawValue else {
                throw HostileFailure("expected a request, got \(event)")
            }
            let response = HostileBytes.frame(
                .response, kind: request.messageKind, id: request.correlationId,
                body: [UInt8](repeating: 9, count: cut.bodyBytes))
            try peer.write(Array(response[0..<cut.keptBytes]))
            peer.socket.shutdownWrite()
            // Wait for the client to give up, so closing cannot race with its reads.
            _ = peer.framesUntilClosed()
        }
        let client = try await RPCClient.connect(to: fake.address, options: .patient)
        let outcome: Result<[UInt8], RPCError>
        do {
            outcome = .success(try await client.call(RPCTestServer.echo, [1, 2, 3], timeoutMs: safetyNetMs))
        } catch {
            outcome = .failure(error)
        }
        try await served.value
        guard case .failure(.connectionClosed(let why)) = outcome, why.contains("middle of a frame") else {
            Issue.record("cut after \(cut): call ended with \(outcome)")
            return
        }
        #expect(client.isClosed)
    }
}
