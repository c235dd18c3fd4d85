import Testing
import Wire

@testable import Broker

/// Golden frames from real kafka-python and librdkafka clients decode and re-encode byte-exactly.
@Suite struct ProtocolFixtureTests {
    /// Every request fixture decodes (strictly, no bytes left) and re-encodes to the same bytes.
    @Test func requestFixturesRoundTripByteExactly() throws {
        let fixtures = try FixtureFiles.requests()
        #expect(fixtures.count == 28)
        for fixture in fixtures {
            let decoded = try KafkaRequest.decode(
                frame: fixture.bytes, versions: .recommendedWithFlexibleApiVersions, strict: true)
            #expect(decoded.header.apiKey == fixture.apiKey.rawValue, "\(fixture)")
            #expect(decoded.header.apiVersion == fixture.version, "\(fixture)")
            #expect(decoded.request.apiKey == fixture.apiKey, "\(fixture)")
            var writer = ByteWriter()
            decoded.header.encode(into: &writer)
            decoded.request.encode(into: &writer, version: fixture.version)
            #expect(writer.bytes == fixture.bytes, "\(fixture) re-encodes differently")
        }
    }

    /// Every response fixture decodes and re-encodes byte-exactly at its version; the ApiVersions
    /// v3/v4 replies are v0-layout UNSUPPORTED_VERSION answers, which keep that layout at any version.
    @Test func responseFixturesRoundTripByteExactly() throws {
        let fixtures = try FixtureFiles.responses()
        #expect(fixtures.count == 28)
        for fixture in fixtures {
            let correlationId = try KafkaResponseHeader.peekCorrelationId(fixture.bytes)
            var reader = ByteReader(fixture.bytes)
            _ = try KafkaResponseHeader.decode(from: &reader, apiKey: fixture.apiKey, version: fixture.version)
            let response = try KafkaResponse.decodeBody(fixture.apiKey, version: fixture.version, from: &reader)
            #expect(reader.isAtEnd, "\(fixture) leaves \(reader.readableBytes) bytes")
            let frame = KafkaFrame.response(response, version: fixture.version, correlationId: correlationId)
            #expect(Array(frame.dropFirst(4)) == fixture.bytes, "\(fixture) re-encodes differently")
            #expect(frame.prefix(4) == [0, 0, UInt8(fixture.bytes.count >> 8), UInt8(fixture.bytes.count & 0xff)])
        }
    }

    /// Request fixtures carry the correlation ids their responses echo.
    @Test func responsesEchoTheirRequestsCorrelationIds() throws {
        let all = try FixtureFiles.all()
        for request in all where request.isRequest {
            let stem = request.fileName.replacingOccurrences(of: ".req.bin", with: ".resp.bin")
            let response = try #require(all.first { $0.fileName == stem })
            let prefix = try RequestPrefix.peek(request.bytes)
            #expect(try KafkaResponseHeader.peekCorrelationId(response.bytes) == prefix.correlationId, "\(request)")
        }
    }

    /// The mock broker that recorded the fixtures advertised exactly §1's table; ours must match it.
    @Test func recommendedTableMatchesTheAdvertisedFixture() throws {
        let fixture = try FixtureFiles.named("kafka-python_ApiVersions_v2.resp.bin")
        let (_, response) = try KafkaFrame.decodeResponse(ApiVersionsResponse.self, frame: fixture.bytes, version: 2)
        #expect(response.apiKeys == ApiVersionTable.recommended.entries)
        #expect(response == ApiVersionsResponse(table: .recommended))
    }

    /// §2: an ApiVersions v3/v4 request against a 0–2 table is refused before its flexible header is
    /// parsed, and the broker's v0 error reply is byte-identical to the one the clients accepted.
    @Test func unsupportedApiVersionsGetsTheCapturedReply() throws {
        for name in ["kafka-python_ApiVersions_v4", "librdkafka_ApiVersions_v3"] {
            let request = try FixtureFiles.named(name + ".req.bin")
            let reply = try FixtureFiles.named(name + ".resp.bin")
            #expect(throws: KafkaRequestError.unsupportedVersion(.apiVersions, try RequestPrefix.peek(request.bytes))) {
                try KafkaRequest.decode(frame: request.bytes)
            }
            let prefix = try RequestPrefix.peek(request.bytes)
            let frame = KafkaFrame.apiVersionsUnsupported(correlationId: prefix.correlationId)
            #expect(Array(frame.dropFirst(4)) == reply.bytes, "\(name)")
            let (_, decoded) = try KafkaFrame.decodeResponse(
                ApiVersionsResponse.self, frame: reply.bytes, version: request.version)
            #expect(decoded.errorCode == .unsupportedVersion)
            #expect(decoded.apiKeys == [ApiVersionRange(apiKey: 18, minVersion: 0, maxVersion: 2)])
        }
    }

    /// Field values read by hand from the hex dumps, so decoding is checked against something
    /// other than our own encoder.
    @Test func fetchRequestFieldsMatchTheHexDump() throws {
        let python = try decodedRequest("kafka-python_Fetch_v11.req.bin")
        #expect(python.header.clientId == "kp-consumer")
        guard case .fetch(let fetch) = python.request else { throw FixtureError(description: "not a fetch") }
        #expect(fetch.replicaId == -1 && fetch.maxWaitMs == 500 && fetch.minBytes == 1)
        #expect(fetch.maxBytes == 52_428_800 && fetch.isolationLevel == 0)
        #expect(fetch.sessionId == 0 && fetch.sessionEpoch == 0)
        #expect(fetch.topics.map(\.topic) == ["kp-topic"])
        #expect(fetch.topics[0].partitions.map(\.partition) == [1, 0])  // kafka-python lists partition 1 first
        #expect(fetch.topics[0].partitions.allSatisfy { $0.partitionMaxBytes == 1_048_576 && $0.fetchOffset == 0 })
        #expect(fetch.rackId == "" && fetch.forgottenTopics.isEmpty)

        let rdkafka = try decodedRequest("librdkafka_Fetch_v11.req.bin")
        guard case .fetch(let sessionless) = rdkafka.request else { throw FixtureError(description: "not a fetch") }
        #expect(sessionless.isolationLevel == 1 && sessionless.sessionEpoch == -1)
    }

    @Test func groupRequestFieldsMatchTheHexDump() throws {
        let join = try decodedRequest("librdkafka_JoinGroup_v5.req.bin")
        guard case .joinGroup(let request) = join.request else { throw FixtureError(description: "not a join") }
        #expect(request.groupId == "ck-group" && request.memberId == "" && request.groupInstanceId == nil)
        #expect(request.sessionTimeoutMs == 45000 && request.rebalanceTimeoutMs == 300_000)
        #expect(request.protocolType == "consumer" && request.protocols.map(\.name) == ["range", "roundrobin"])

        let leave = try decodedRequest("librdkafka_LeaveGroup_v1.req.bin")
        guard case .leaveGroup(let leaving) = leave.request else { throw FixtureError(description: "not a leave") }
        #expect(leaving.memberId == "ck-consumer-b19de389-0d73-48b7-a21f-1dc6146349c2")
        #expect(leaving.leavingMembers(version: 1).map(\.memberId) == [leaving.memberId])

        let leaveV3 = try decodedRequest("kafka-python_LeaveGroup_v3.req.bin")
        guard case .leaveGroup(let batch) = leaveV3.request else { throw FixtureError(description: "not a leave") }
        #expect(batch.members == [.init(memberId: "kp-consumer-5de0cda7-40e3-47fd-8da9-e1b1ade28240")])
    }

    @Test func responseFieldsMatchTheHexDump() throws {
        let produce = try FixtureFiles.named("kafka-python_Produce_v8.resp.bin")
        let (_, produced) = try KafkaFrame.decodeResponse(ProduceResponse.self, frame: produce.bytes, version: 8)
        let partition = try #require(produced.topics.first?.partitions.first)
        #expect(partition.index == 1 && partition.baseOffset == 0 && partition.logAppendTimeMs == -1)
        #expect(partition.recordErrors.isEmpty && partition.errorMessage == nil && produced.throttleTimeMs == 0)

        let join = try FixtureFiles.named("kafka-python_JoinGroup_v5.resp.bin")
        let (_, joined) = try KafkaFrame.decodeResponse(JoinGroupResponse.self, frame: join.bytes, version: 5)
        #expect(joined.errorCode == .memberIdRequired && joined.generationId == -1)
        #expect(joined.protocolName == "" && joined.leader == "" && joined.members.isEmpty)
        #expect(joined.memberId == "kp-consumer-5de0cda7-40e3-47fd-8da9-e1b1ade28240")

        let fetch = try FixtureFiles.named("kafka-python_Fetch_v11.resp.bin")
        let (_, fetched) = try KafkaFrame.decodeResponse(FetchResponse.self, frame: fetch.bytes, version: 11)
        let first = try #require(fetched.topics.first?.partitions.first)
        #expect(first.highWatermark == 4 && first.lastStableOffset == 4 && first.abortedTransactions == nil)
        #expect(first.preferredReadReplica == -1 && first.records?.count == 202)
    }

    private func decodedRequest(_ name: String) throws -> (header: KafkaRequestHeader, request: KafkaRequest) {
        try KafkaRequest.decode(frame: FixtureFiles.named(name).bytes, strict: true)
    }
}
