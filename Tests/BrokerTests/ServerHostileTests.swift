import Testing
import Wire

@testable import Broker

/// Garbage, truncated, oversized and unknown requests close only their own connection (or get
/// Kafka's own error where the protocol has one) while other clients keep being served.
@Suite(.dedicatedThread) struct ServerHostileTests {
    /// Runs `attack` on a fresh connection, checks that it is closed without a reply, and that a
    /// bystander connected before and a client connecting after are both served.
    private func expectOnlyAttackerClosed(_ attack: (TestKafkaClient) throws -> Void) throws {
        try withBroker({ $0.requestBytesMax = 1 << 20 }) { broker in
            let bystander = try TestKafkaClient(broker)
            _ = try bystander.metadata(["steady"])
            let attacker = try TestKafkaClient(broker)
            try attack(attacker)
            #expect(try attacker.closesWithoutReply())
            #expect(try bystander.metadata(["steady"]).topics.first?.errorCode == .noError)
            #expect(try TestKafkaClient(broker).metadata(nil).topics.map(\.name) == ["steady"])
        }
    }

    @Test func garbageFrameClosesOnlyItsConnection() throws {
        var random = RecordsRandom(seed: RecordsRandom.seed(11))
        try expectOnlyAttackerClosed { client in
            // api key 0x7F7F is no API; whatever follows is never parsed.
            try client.sendFrame([0x7F, 0x7F] + random.bytes(200))
        }
    }

    @Test func truncatedBodyClosesOnlyItsConnection() throws {
        try expectOnlyAttackerClosed { client in
            let frame = KafkaFrame.request(
                MetadataRequest(topics: ["a", "b"]), version: 8, correlationId: 1, clientId: "cut")
            // A size prefix that covers less than the body the header announces: a malformed body.
            try client.sendFrame(Array(frame.dropFirst(4).dropLast(5)))
        }
    }

    @Test func frameShorterThanItsHeaderClosesOnlyItsConnection() throws {
        try expectOnlyAttackerClosed { client in try client.sendFrame([0, 3, 0]) }
    }

    @Test func streamCutMidFrameClosesOnlyItsConnection() throws {
        try withBroker { broker in
            let attacker = try TestKafkaClient(broker)
            // Announces 1000 bytes, sends 10, then half-closes: the broker sees the end mid-frame.
            try attacker.sendRaw([0, 0, 0x03, 0xE8] + [UInt8](repeating: 1, count: 10))
            attacker.socket.shutdownWrite()
            #expect(try attacker.closesWithoutReply())
            #expect(try TestKafkaClient(broker).metadata(nil).topics.isEmpty)
        }
    }

    @Test func oversizedFrameClosesOnlyItsConnection() throws {
        try expectOnlyAttackerClosed { client in try client.sendRaw([0x10, 0, 0, 0]) }
    }

    @Test func negativeSizeClosesOnlyItsConnection() throws {
        try expectOnlyAttackerClosed { client in try client.sendRaw([0xFF, 0xFF, 0xFF, 0xF0, 1, 2, 3]) }
    }

    @Test func unknownApiKeyClosesOnlyItsConnection() throws {
        try expectOnlyAttackerClosed { client in
            // A well-formed v1 header for api key 57, which this broker does not serve.
            var frame = ByteWriter()
            KafkaRequestHeader(apiKey: 57, apiVersion: 0, correlationId: 5, clientId: "x").encode(into: &frame)
            try client.sendFrame(frame.bytes)
        }
    }

    @Test func unsupportedVersionClosesOnlyItsConnection() throws {
        try expectOnlyAttackerClosed { client in
            var frame = ByteWriter()
            KafkaRequestHeader(apiKey: ApiKey.metadata.rawValue, apiVersion: 42, correlationId: 5, clientId: "x")
                .encode(into: &frame)
            try client.sendFrame(frame.bytes)
        }
    }

    /// G5: an ApiVersions version the broker does not speak gets error 35 in the v0 layout with the
    /// ApiVersions range, and the connection stays usable.
    @Test func unsupportedApiVersionsGetsErrorThirtyFiveAndKeepsTheConnection() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            var frame = ByteWriter()
            KafkaRequestHeader(apiKey: ApiKey.apiVersions.rawValue, apiVersion: 9, correlationId: 44, clientId: "new")
                .encode(into: &frame)
            frame.writeBytes([0, 0, 0])
            try client.sendFrame(frame.bytes)
            let reply = try client.readFrame()
            #expect(reply == [0, 0, 0, 44] + Hex.bytes("0023 00000001 0012 0000 0002"))
            let versions = try client.call(ApiVersionsRequest(), version: 2)
            #expect(versions.apiKeys == ApiVersionTable.recommended.entries)
        }
    }

    /// A thousand random frames from one client never take the broker down for another.
    @Test func randomFramesNeverHurtOtherClients() throws {
        var random = RecordsRandom(seed: RecordsRandom.seed(12))
        try withBroker({ $0.requestBytesMax = 1 << 16 }) { broker in
            let bystander = try TestKafkaClient(broker)
            for round in 0..<1000 {
                let attacker = try TestKafkaClient(broker)
                // Keep real api keys and versions half the time, so bodies reach the decoders.
                var frame = random.bytes(Int.random(in: 0..<300, using: &random))
                if frame.count >= 4, Bool.random(using: &random) {
                    let key = ApiKey.allCases.randomElement(using: &random) ?? .metadata
                    frame[0] = 0
                    frame[1] = UInt8(key.rawValue)
                    frame[2] = 0
                    frame[3] = UInt8(key.advertisedVersions.upperBound)
                }
                try attacker.sendFrame(frame)
                if round % 100 == 0 { #expect(try bystander.metadata(nil).brokers.count == 1) }
            }
            #expect(try bystander.metadata(nil).brokers.count == 1)
        }
    }
}
