import Glibc
import Testing

@testable import Wire

@Suite struct SocketAddressTests {
    // Both resolve names with getaddrinfo, which may wait on DNS: off the pool.
    @Test(.dedicatedThread) func parsesIPv4IPv6AndNames() throws {
        let v4 = try SocketAddress(parsing: "127.0.0.1:9092")
        #expect(v4.host == "127.0.0.1" && v4.port == 9092 && !v4.isIPv6)
        let v6 = try SocketAddress(parsing: "[::1]:7077")
        #expect(v6.host == "::1" && v6.port == 7077 && v6.isIPv6)
        #expect(v6.description == "[::1]:7077")
        let name = try SocketAddress(parsing: "localhost:4040")
        #expect(name.port == 4040 && (name.host == "127.0.0.1" || name.host == "::1"))
        #expect(try SocketAddress(parsing: ":80").host == "127.0.0.1")
    }

    @Test(.dedicatedThread) func refusesMalformedAddresses() {
        #expect(throws: SocketAddress.ParseError.missingPort("localhost")) { try SocketAddress(parsing: "localhost") }
        #expect(throws: SocketAddress.ParseError.invalidPort("h:99999")) { try SocketAddress(parsing: "h:99999") }
        #expect(throws: SocketAddress.ParseError.invalidPort("h:x")) { try SocketAddress(parsing: "h:x") }
        #expect(throws: SocketAddress.ParseError.missingPort("[::1]")) { try SocketAddress(parsing: "[::1]") }
        #expect(throws: (any Error).self) { try SocketAddress(parsing: "no-such-host.invalid:1") }
    }

    @Test func rpcWorksOverIPv6Loopback() async throws {
        let server = RPCServer()
        server.handlers.register(1) { _, body in body.reversed() }
        let address = try server.start(on: SocketAddress(parsing: "[::1]:0"))
        #expect(address.isIPv6 && address.port != 0)
        let client = try await RPCClient.connect(to: address)
        #expect(try await client.call(1, [1, 2, 3]) == [3, 2, 1])
        await client.close()
        await server.stop()
    }

    @Test func listeningOnAPortInUseFailsWithErrno() throws {
        let first = try Socket.listen(on: SocketAddress(parsing: "127.0.0.1:0"))
        let taken = try first.localAddress()
        #expect(throws: PosixError.self) { try Socket.listen(on: taken) }
        do {
            _ = try Socket.listen(on: taken)
        } catch {
            #expect(error.call == "bind" && error.errno == EADDRINUSE)
            #expect(error.description.contains(taken.description))
        }
    }
}
