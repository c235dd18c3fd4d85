import Testing

@testable import Wire

@Suite struct RPCCallTests {
    @Test func echoRoundTrip() async throws {
        let fixture = try RPCTestServer()
        let client = try await RPCClient.connect(to: fixture.address)
        let reply = try await client.call(RPCTestServer.echo, Array("hello".utf8))
        #expect(reply == Array("hello".utf8))
        let large = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(try await client.call(RPCTestServer.echo, large) == large)
        #expect(try await client.call(RPCTestServer.echo, []) == [])
        await client.close()
        #expect(client.isClosed)
        await fixture.server.stop()
    }
}
