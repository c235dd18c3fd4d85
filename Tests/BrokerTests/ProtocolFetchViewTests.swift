import Testing
import Wire

@testable import Broker

/// A decoded Fetch response points at its record bytes inside the frame instead of copying them:
/// the views hold exactly the bytes that were sent, at every version, and a cut or lying frame is
/// a typed error.
@Suite struct ProtocolFetchViewTests {
    /// Three topics' worth of partitions with record blobs of different sizes (one null, one empty).
    static func response(_ random: inout RecordsRandom) -> FetchResponse {
        var topics: [FetchResponse.Topic] = []
        for (topicIndex, name) in ["a", "views", "t3"].enumerated() {
            var partitions: [FetchResponse.Partition] = []
            for partition in 0..<Int32(topicIndex + 2) {
                let records: SharedBytes?
                switch (topicIndex + Int(partition)) % 4 {
                case 0: records = nil
                case 1: records = []
                default: records = SharedBytes(random.bytes(Int.random(in: 1...5_000, using: &random)))
                }
                partitions.append(
                    FetchResponse.Partition(
                        partitionIndex: partition, highWatermark: Int64(partition) * 100, lastStableOffset: 7,
                        logStartOffset: 3, records: records))
            }
            topics.append(FetchResponse.Topic(topic: name, partitions: partitions))
        }
        return FetchResponse(throttleTimeMs: 0, topics: topics)
    }

    /// The record bytes of every partition, in order, as sent (nil written as empty, G6).
    static func sentRecords(_ response: FetchResponse) -> [[UInt8]] {
        response.topics.flatMap { $0.partitions.map { $0.records?.array ?? [] } }
    }

    @Test(arguments: Array(Int16(4)...11))
    func recordsAreViewsIntoTheFrameHoldingTheSentBytes(version: Int16) throws {
        var random = RecordsRandom(seed: RecordsRandom.seed(0xFE7C_0000 + UInt64(version)))
        let sent = Self.response(&random)
        let frame = Array(KafkaFrame.response(sent, version: version, correlationId: 41).dropFirst(4))
        let (correlationId, decoded) = try KafkaFrame.decodeResponse(FetchResponse.self, frame: frame, version: version)
        #expect(correlationId == 41)
        let partitions = decoded.topics.flatMap(\.partitions)
        #expect(partitions.map { $0.records?.array ?? [] } == Self.sentRecords(sent))
        let frameBase = frame.withUnsafeBufferPointer { $0.baseAddress }
        var previousEnd = 0
        for partition in partitions {
            let records = try #require(partition.records, "records are never null on the wire")
            // A view: the frame's own buffer, with the bytes where the frame holds them.
            #expect(records.storage.withUnsafeBufferPointer { $0.baseAddress } == frameBase)
            #expect(records.range.lowerBound >= previousEnd + 4 && records.range.upperBound <= frame.count)
            #expect(records.bytes.elementsEqual(frame[records.range]))
            previousEnd = records.range.upperBound
        }
        // Equality is by bytes, so the decoded response equals what was sent.
        #expect(decoded.topics.map(\.topic) == sent.topics.map(\.topic))
        #expect(
            partitions
                == sent.topics.flatMap(\.partitions).map { sentPartition in
                    var expected = sentPartition
                    expected.records = expected.records ?? []
                    if version < 5 { expected.logStartOffset = -1 }
                    return expected
                })
    }

    @Test(arguments: Array(Int16(4)...11))
    func everyCutFrameIsATypedError(version: Int16) throws {
        var random = RecordsRandom(seed: RecordsRandom.seed(0xC07 + UInt64(version)))
        let sent = FetchResponse(topics: [
            .init(
                topic: "cut",
                partitions: [
                    .init(partitionIndex: 0, highWatermark: 9, records: SharedBytes(random.bytes(40))),
                    .init(partitionIndex: 1, highWatermark: 9, records: SharedBytes(random.bytes(3))),
                ])
        ])
        let frame = Array(KafkaFrame.response(sent, version: version, correlationId: 1).dropFirst(4))
        for cut in 0..<frame.count {
            #expect(throws: DecodeError.self, "cut at \(cut) of \(frame.count)") {
                try KafkaFrame.decodeResponse(FetchResponse.self, frame: Array(frame[..<cut]), version: version)
            }
        }
    }

    /// A records length past the frame's end, or below -1, is refused before anything points at it.
    @Test func lyingRecordsLengthsAreRefused() throws {
        let sent = FetchResponse(topics: [
            .init(topic: "lie", partitions: [.init(partitionIndex: 0, highWatermark: 1, records: [1, 2, 3])])
        ])
        let frame = Array(KafkaFrame.response(sent, version: 11, correlationId: 1).dropFirst(4))
        let lengthAt = frame.count - 3 - 4
        for length: Int32 in [4, Int32.max, -2, Int32.min] {
            var lying = frame
            withUnsafeBytes(of: length.bigEndian) { lying.replaceSubrange(lengthAt..<lengthAt + 4, with: $0) }
            #expect(throws: DecodeError.self, "length \(length)") {
                try KafkaFrame.decodeResponse(FetchResponse.self, frame: lying, version: 11)
            }
        }
    }
}
