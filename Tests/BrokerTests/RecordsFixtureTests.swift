import Testing
import Wire

@testable import Broker

/// Real batches from kafka-python and librdkafka, taken out of the golden Produce and Fetch frames.
@Suite struct RecordsFixtureTests {
    @Test(arguments: ["kafka-python", "librdkafka"])
    func producedBatchesValidateAndDecode(client: String) throws {
        let frame = try FixtureFiles.named("\(client)_Produce_v8.req.bin").bytes
        guard case .produce(let produce) = try KafkaRequest.decode(frame: frame).request else {
            throw FixtureError(description: "not a produce request")
        }
        let records = try #require(produce.topics.first?.partitions.first?.records)
        let batches = try RecordBatchSplitter.split(records)
        #expect(batches.count == 1 && batches[0].range == 0..<records.count)
        let decoded = try RecordBatchDecoder.decodeAll(records)
        let expectedValues = client == "kafka-python" ? ["value-0"] : (0..<5).map { "value-\($0)" }
        #expect(decoded.map { String(decoding: $0.value ?? [], as: UTF8.self) } == expectedValues)
        #expect(decoded.map(\.offset) == Array(0..<Int64(expectedValues.count)))
        #expect(decoded.allSatisfy { $0.headers == [RecordHeader("h", Array("x".utf8))] })
        #expect(decoded.first?.key == Array("k0".utf8))
        // A client's producer identity: kafka-python is idempotent, librdkafka by default is not.
        #expect(batches[0].header.producerId == (client == "kafka-python" ? 0x1092 : -1))
    }

    @Test func fetchedBatchesValidateAndDecode() throws {
        let frame = try FixtureFiles.named("kafka-python_Fetch_v11.resp.bin").bytes
        let (_, fetch) = try KafkaFrame.decodeResponse(FetchResponse.self, frame: frame, version: 11)
        let partitions = try #require(fetch.topics.first?.partitions)
        var offsetsByPartition: [Int32: [Int64]] = [:]
        for partition in partitions {
            let bytes = partition.records?.array ?? []
            let batches = try RecordBatchSplitter.splitFetched(bytes, verifyCRC: true)
            #expect(batches.last?.range.upperBound == bytes.count)
            offsetsByPartition[partition.partitionIndex] =
                try RecordBatchDecoder.records(inFetched: bytes, verifyCRC: true).map(\.offset)
        }
        #expect(offsetsByPartition == [1: [0, 1, 2, 3], 0: [0]])

        let rdkafka = try FixtureFiles.named("librdkafka_Fetch_v11.resp.bin").bytes
        let (_, fetched) = try KafkaFrame.decodeResponse(FetchResponse.self, frame: rdkafka, version: 11)
        let bytes = try #require(fetched.topics.first?.partitions.first?.records?.array)
        let values = try RecordBatchDecoder.records(inFetched: bytes, verifyCRC: true).map(\.value)
        #expect(values == (0..<5).map { Array("value-\($0)".utf8) })
    }

    @Test func producedBytesAreWhatTheBrokerServedBack() throws {
        // librdkafka's produced batch came back in the fetch reply byte for byte (base offset 0 both times).
        let produceFrame = try FixtureFiles.named("librdkafka_Produce_v8.req.bin").bytes
        guard case .produce(let produce) = try KafkaRequest.decode(frame: produceFrame).request else {
            throw FixtureError(description: "not a produce request")
        }
        let fetchFrame = try FixtureFiles.named("librdkafka_Fetch_v11.resp.bin").bytes
        let (_, fetch) = try KafkaFrame.decodeResponse(FetchResponse.self, frame: fetchFrame, version: 11)
        #expect(produce.topics.first?.partitions.first?.records == fetch.topics.first?.partitions.first?.records?.array)
    }
}
