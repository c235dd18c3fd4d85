import Foundation
import Synchronization
import Testing
import Wire

@testable import Broker

/// A client facing a broker that misbehaves: every case ends in a typed error, never a trap or a hang.
@Suite(.dedicatedThread) struct ClientHostileBrokerTests {
    /// Accepts one connection, answers ApiVersions properly (unless `answerApiVersions` is false),
    /// then hands the socket and the next request's correlation id to `script`.
    final class FakeBroker: Sendable {
        let listener: Socket
        let port: UInt16

        init(answerApiVersions: Bool = true, _ script: @escaping @Sendable (Socket, Int32) throws -> Void) throws {
            listener = try Socket.listen(on: try SocketAddress(parsing: "127.0.0.1:0"))
            port = try listener.localAddress().port
            Thread { [listener] in
                guard let (socket, _) = try? listener.accept() else { return }
                defer { socket.close() }
                do {
                    var correlationId = try Self.readRequest(socket)
                    if answerApiVersions {
                        try socket.writeAll(
                            KafkaFrame.response(
                                ApiVersionsResponse(table: .recommended), version: 2, correlationId: correlationId))
                        correlationId = try Self.readRequest(socket)
                    }
                    try script(socket, correlationId)
                } catch {}
            }.start()
        }

        deinit { listener.close() }

        /// Reads one size-prefixed request and returns its correlation id.
        static func readRequest(_ socket: Socket) throws -> Int32 {
            let size = Int(try ByteReader(try readExactly(socket, 4)).getInteger(at: 0, as: Int32.self))
            let frame = try readExactly(socket, size)
            return try ByteReader(frame).getInteger(at: 4, as: Int32.self)
        }

        static func readExactly(_ socket: Socket, _ count: Int) throws -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let got = try bytes.withUnsafeMutableBytes { raw in
                    try socket.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]))
                }
                guard case .processed(let n) = got, n > 0 else { throw ServerTestFailure("peer closed") }
                done += n
            }
            return bytes
        }

        func client(requestTimeoutMs: Int = 30_000) throws -> KafkaClient {
            var config = KafkaClientConfig(bootstrap: "127.0.0.1:\(port)")
            config.retries = 0
            config.requestTimeoutMs = requestTimeoutMs
            config.connectTimeoutMs = 2_000
            return try KafkaClient(config)
        }
    }

    private static func frame(_ body: [UInt8]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(Int32(body.count))
        writer.writeBytes(body)
        return writer.bytes
    }

    @Test func anOversizedResponseIsRefusedBeforeAllocating() throws {
        let broker = try FakeBroker(answerApiVersions: false) { socket, _ in
            try socket.writeAll([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1])
        }
        let client = try broker.client()
        #expect(
            throws: KafkaClientError.malformedResponse(
                .apiVersions, broker: "127.0.0.1:\(broker.port)", reason: "bad response size")
        ) {
            try client.listTopics()
        }
    }

    @Test func aResponseForAnotherRequestBreaksTheConnection() throws {
        let broker = try FakeBroker { socket, correlationId in
            try socket.writeAll(Self.frame(ByteWriter.int32(correlationId + 7) + [0, 0, 0, 0]))
            _ = try? FakeBroker.readRequest(socket)
        }
        let client = try broker.client()
        do {
            _ = try client.listTopics()
            Issue.record("a mismatched response was accepted")
        } catch {
            guard case .connectionLost(_, let reason) = error else { throw error }
            #expect(reason.contains("was expected"))
        }
    }

    @Test func garbageInAResponseBodyIsAMalformedResponse() throws {
        let broker = try FakeBroker { socket, correlationId in
            try socket.writeAll(Self.frame(ByteWriter.int32(correlationId) + [0xff, 0xff, 0xff, 0xf0, 1, 2, 3]))
            _ = try? FakeBroker.readRequest(socket)
        }
        let client = try broker.client()
        do {
            _ = try client.listTopics()
            Issue.record("garbage was accepted")
        } catch {
            guard case .malformedResponse(.metadata, _, _) = error else { throw error }
        }
    }

    @Test func aSilentBrokerTimesOut() throws {
        let broker = try FakeBroker { socket, _ in
            _ = try? FakeBroker.readRequest(socket)  // waits until the client gives up and closes
        }
        let client = try broker.client(requestTimeoutMs: 1_000)
        do {
            _ = try client.listTopics()
            Issue.record("a silent broker answered")
        } catch {
            guard case .timedOut(.metadata, _, 1_000) = error else { throw error }
        }
    }

    @Test func aBrokerClosingMidResponseIsAConnectionLoss() throws {
        let broker = try FakeBroker { socket, correlationId in
            // Announce 100 bytes, send 10, hang up.
            try socket.writeAll(
                ByteWriter.int32(100) + ByteWriter.int32(correlationId) + [UInt8](repeating: 0, count: 6))
        }
        let client = try broker.client()
        do {
            _ = try client.listTopics()
            Issue.record("a truncated response was accepted")
        } catch {
            guard case .connectionLost(_, let reason) = error else { throw error }
            #expect(reason.contains("in the middle of a response"))
        }
    }

    @Test func versionsAreTheMinimumOfBothMaximaWithinBothRanges() {
        let modern = NegotiatedVersions(broker: [
            .init(apiKey: 0, minVersion: 3, maxVersion: 11), .init(apiKey: 1, minVersion: 4, maxVersion: 16),
            .init(apiKey: 3, minVersion: 0, maxVersion: 12), .init(apiKey: 11, minVersion: 2, maxVersion: 9),
            .init(apiKey: 19, minVersion: 5, maxVersion: 7), .init(apiKey: 999, minVersion: 0, maxVersion: 3),
        ])
        #expect(modern.version(for: .produce) == 8 && modern.version(for: .fetch) == 11)
        #expect(modern.version(for: .metadata) == 8 && modern.version(for: .joinGroup) == 5)
        #expect(modern.version(for: .createTopics) == nil, "no overlap: the broker starts above our maximum")
        #expect(modern.version(for: .initProducerId) == nil, "not advertised")
        let spate = NegotiatedVersions(broker: ApiVersionTable.recommended.entries)
        for key in ApiKey.allCases where key != .apiVersions {
            #expect(spate.version(for: key) == key.advertisedVersions.upperBound, "\(key)")
        }
    }
}

extension ByteWriter {
    /// The 4 big-endian bytes of `value`.
    static func int32(_ value: Int32) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(value)
        return writer.bytes
    }
}
