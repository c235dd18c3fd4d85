import Testing
import Wire

@testable import Broker

/// Every codec version of every API survives encode → decode unchanged.
@Suite struct ProtocolRoundTripTests {
    @Test(arguments: ApiKey.allCases)
    func requestsRoundTripAtEveryVersion(key: ApiKey) throws {
        for version in key.codecVersions {
            let request = ProtocolSamples.request(key, version: version)
            let frame = KafkaFrame.request(request, version: version, correlationId: 77, clientId: "spate-test")
            let decoded = try KafkaRequest.decode(
                frame: Array(frame.dropFirst(4)), versions: .recommendedWithFlexibleApiVersions, strict: true)
            #expect(decoded.request == request, "\(key) v\(version)")
            #expect(
                decoded.header == KafkaRequestHeader(key, version: version, correlationId: 77, clientId: "spate-test"))
        }
    }

    @Test(arguments: ApiKey.allCases)
    func responsesRoundTripAtEveryVersion(key: ApiKey) throws {
        for version in key.codecVersions {
            let response = ProtocolSamples.response(key, version: version)
            let frame = Array(KafkaFrame.response(response, version: version, correlationId: -5).dropFirst(4))
            var reader = ByteReader(frame)
            #expect(try KafkaResponseHeader.decode(from: &reader, apiKey: key, version: version) == -5)
            let decoded = try KafkaResponse.decodeBody(key, version: version, from: &reader)
            #expect(reader.isAtEnd, "\(key) v\(version) left \(reader.readableBytes) bytes")
            #expect(decoded == response, "\(key) v\(version)")
        }
    }

    /// The typed helpers the client uses give the same result as the enum dispatch.
    @Test func typedResponseDecodeMatches() throws {
        let sample = ProtocolSamples.fetchResponse(11)
        let frame = KafkaFrame.response(sample, version: 11, correlationId: 9)
        let (correlationId, decoded) = try KafkaFrame.decodeResponse(
            FetchResponse.self, frame: Array(frame.dropFirst(4)), version: 11)
        #expect(correlationId == 9 && decoded == sample)
        #expect(throws: DecodeError.self) {
            try KafkaFrame.decodeResponse(FetchResponse.self, frame: Array(frame.dropFirst(4)) + [0], version: 11)
        }
    }

    /// G6: a nil records field still goes out non-null with length 0.
    @Test func fetchWritesNullRecordsAsEmpty() throws {
        let response = FetchResponse(topics: [
            .init(topic: "t", partitions: [.init(partitionIndex: 0, highWatermark: 0, records: nil)])
        ])
        let bytes = response.encoded(version: 11)
        #expect(bytes.suffix(4) == [0, 0, 0, 0])
        let decoded = try FetchResponse.decode(bytes: bytes, version: 11)
        #expect(decoded.topics[0].partitions[0].records == [])
    }

    /// G10: Produce puts throttle_time_ms after the responses.
    @Test func produceThrottleTimeComesLast() {
        let bytes = ProduceResponse(topics: [], throttleTimeMs: 0x0102_0304).encoded(version: 8)
        #expect(bytes == [0, 0, 0, 0, 1, 2, 3, 4])
        #expect(ProduceResponse(topics: [], throttleTimeMs: 9).encoded(version: 0) == [0, 0, 0, 0])
    }

    /// Metadata v0 has no null array: [] meant "all topics", so it reads back as nil.
    @Test func metadataTopicNullability() throws {
        let all = MetadataRequest(topics: nil)
        #expect(all.encoded(version: 0) == [0, 0, 0, 0])
        #expect(try MetadataRequest.decode(bytes: [0, 0, 0, 0], version: 0).topics == nil)
        #expect(all.encoded(version: 1) == [0xff, 0xff, 0xff, 0xff])
        #expect(try MetadataRequest.decode(bytes: [0, 0, 0, 0], version: 1).topics == [])
        #expect(try MetadataRequest.decode(bytes: all.encoded(version: 8), version: 8) == all)
    }

    /// OffsetFetch topics are nullable only from v2.
    @Test func offsetFetchTopicNullability() throws {
        let all = OffsetFetchRequest(groupId: "g", topics: nil)
        #expect(try OffsetFetchRequest.decode(bytes: all.encoded(version: 2), version: 2) == all)
        #expect(Array(all.encoded(version: 1).suffix(4)) == [0, 0, 0, 0])
        #expect(throws: DecodeError.self) { try OffsetFetchRequest.decode(bytes: all.encoded(version: 2), version: 1) }
    }

    /// The v0 error reply reads back at every ApiVersions version a client may have sent.
    @Test func apiVersionsErrorReplyDecodesAtAnyRequestedVersion() throws {
        let reply = ApiVersionsResponse.unsupportedVersion(table: .recommended)
        let bytes = reply.encoded(version: 0)
        #expect(bytes == [0x00, 0x23, 0, 0, 0, 1, 0x00, 0x12, 0, 0, 0, 2])
        for version in ApiKey.apiVersions.codecVersions {
            #expect(reply.encoded(version: version) == bytes, "v\(version)")
            #expect(try ApiVersionsResponse.decode(bytes: bytes, version: version) == reply, "v\(version)")
        }
    }

    /// Flexible ApiVersions v3 layout, written out by hand.
    @Test func apiVersionsV3LayoutIsCompact() {
        let response = ApiVersionsResponse(
            apiKeys: [.init(apiKey: 18, minVersion: 0, maxVersion: 4)], throttleTimeMs: 1)
        #expect(response.encoded(version: 3) == [0, 0, 2, 0, 18, 0, 0, 0, 4, 0, 0, 0, 0, 1, 0])
        let request = ApiVersionsRequest(clientSoftwareName: "a", clientSoftwareVersion: "1")
        #expect(request.encoded(version: 3) == [2, 0x61, 2, 0x31, 0])
        #expect(request.encoded(version: 2) == [])
    }

    /// A decoder asked for a version without a layout refuses rather than guessing.
    @Test func decodersRefuseVersionsOutsideTheCodec() {
        #expect(throws: DecodeError.self) { try FetchRequest.decode(bytes: [], version: 3) }
        #expect(throws: DecodeError.self) { try FetchRequest.decode(bytes: [], version: 12) }
        #expect(throws: DecodeError.self) { try CreateTopicsResponse.decode(bytes: [], version: 1) }
    }
}
