import Testing
import Wire

@testable import Broker

/// The broker cuts frames out of the byte stream however the client's writes split them.
@Suite(.dedicatedThread) struct ServerFramingTests {
    /// A request written one byte per system call is answered like any other.
    @Test func requestTrickledOneByteAtATime() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let frame = KafkaFrame.request(
                MetadataRequest(topics: ["slow"]), version: 8, correlationId: 7, clientId: "drip")
            for byte in frame { try client.sendRaw([byte]) }
            let response = try client.receive(MetadataResponse.self, version: 8, correlationId: 7)
            #expect(response.topics.map(\.name) == ["slow"])
        }
    }

    /// Frames larger than the read buffer (read straight into their own array) and small frames
    /// packed into the same write around them all come out whole and in order.
    @Test func largeAndSmallFramesInOneWrite() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let large = makeBatch(count: 1500, valueBytes: 200)
            #expect(large.count > KafkaFrameReader.bufferBytes)
            var bytes: [UInt8] = []
            var expectedIds: [Int32] = []
            for (number, records) in [makeBatch(count: 1), large, makeBatch(count: 2), large].enumerated() {
                let request = ProduceRequest(
                    acks: 1, timeoutMs: 1000,
                    topics: [.init(name: "mixed", partitions: [.init(index: 0, records: records)])])
                bytes += KafkaFrame.request(request, version: 8, correlationId: Int32(number + 1), clientId: "c")
                expectedIds.append(Int32(number + 1))
            }
            bytes += KafkaFrame.request(ApiVersionsRequest(), version: 2, correlationId: 9, clientId: "c")
            try client.sendRaw(bytes)
            var offsets: [Int64] = []
            for id in expectedIds {
                let response = try client.receive(ProduceResponse.self, version: 8, correlationId: id)
                offsets.append(try #require(response.topics.first?.partitions.first?.baseOffset))
            }
            #expect(offsets == [0, 1, 1501, 1503])
            _ = try client.receive(ApiVersionsResponse.self, version: 2, correlationId: 9)
            #expect(try client.fetch("mixed", offset: 1, partitionMaxBytes: 1).records?.array == stored(large, at: 1))
        }
    }
}
