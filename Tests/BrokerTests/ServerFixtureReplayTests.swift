import Testing
import Wire

@testable import Broker

/// Real client request frames (shared/kafka/fixtures), replayed byte for byte against a live
/// broker: every reply decodes strictly at the request's version and says what a fresh broker
/// should say to that request.
@Suite(.dedicatedThread) struct ServerFixtureReplayTests {
    /// Sends a fixture's frame as is and returns the reply frame; its correlation id must echo.
    private func replay(_ name: String, on client: TestKafkaClient) throws -> (Fixture, [UInt8]) {
        let fixture = try FixtureFiles.named(name)
        try client.sendFrame(fixture.bytes)
        let reply = try client.readFrame()
        let prefix = try RequestPrefix.peek(fixture.bytes)
        #expect(try KafkaResponseHeader.peekCorrelationId(reply) == prefix.correlationId, "\(name)")
        return (fixture, reply)
    }

    /// Replays `name` and decodes the reply as `Message` at the fixture's version.
    private func replay<Message: KafkaResponseMessage>(_ name: String, _ type: Message.Type, on client: TestKafkaClient)
        throws -> Message
    {
        let (fixture, reply) = try replay(name, on: client)
        return try KafkaFrame.decodeResponse(type, frame: reply, version: fixture.version).response
    }

    /// ApiVersions: the answers are byte for byte the ones both clients accepted, including the
    /// UNSUPPORTED_VERSION (35) replies to their first, flexible attempt (G5).
    @Test(arguments: [
        ("kafka-python", "ApiVersions_v4", "ApiVersions_v2"), ("librdkafka", "ApiVersions_v3", "ApiVersions_v0"),
    ])
    func apiVersionsRepliesMatchTheCapturedOnes(client name: String, first: String, retry: String) throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            for stem in [first, retry] {
                let (_, reply) = try replay("\(name)_\(stem).req.bin", on: client)
                #expect(reply == (try FixtureFiles.named("\(name)_\(stem).resp.bin")).bytes, "\(name) \(stem)")
            }
        }
    }

    /// The producer side of each client: metadata, admin create (twice), InitProducerId, produce
    /// (twice, the retry a duplicate), fetch, list offsets.
    @Test(arguments: ["kafka-python", "librdkafka"])
    func producerAndConsumerRequests(client name: String) throws {
        let short = name == "kafka-python" ? "kp" : "ck"
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let metadata = try replay("\(name)_Metadata_v8.req.bin", MetadataResponse.self, on: client)
            #expect(metadata.topics.isEmpty, "[] asks for no topics")
            #expect(metadata.brokers == [.init(nodeId: 0, host: "127.0.0.1", port: Int32(broker.port))])
            let created = try replay("\(name)_CreateTopics_v4.req.bin", CreateTopicsResponse.self, on: client)
            #expect(created.topics.map(\.errorCode) == [.noError])
            let again = try replay("\(name)_CreateTopics_v4.req.bin", CreateTopicsResponse.self, on: client)
            #expect(again.topics.map(\.errorCode) == [.topicAlreadyExists])
            if name == "kafka-python" {
                let id = try replay("\(name)_InitProducerId_v1.req.bin", InitProducerIdResponse.self, on: client)
                #expect(id.errorCode == .noError && id.producerId >= 0 && id.producerEpoch == 0)
            }
            let produceFixture = try FixtureFiles.named("\(name)_Produce_v8.req.bin")
            let sent = try KafkaRequest.decode(frame: produceFixture.bytes)
            guard case .produce(let produce) = sent.request else { throw ServerTestFailure("not a produce fixture") }
            let records = try #require(produce.topics.first?.partitions.first?.records)
            for attempt in 0..<2 {
                let produced = try replay("\(name)_Produce_v8.req.bin", ProduceResponse.self, on: client)
                let partition = try #require(produced.topics.first?.partitions.first)
                #expect(partition.errorCode == .noError)
                // kafka-python's batch is idempotent, so its retry is a duplicate at offset 0.
                let count = Int64(try RecordBatchHeader.parse(records).recordCount)
                #expect(partition.baseOffset == (name == "kafka-python" ? 0 : Int64(attempt) * count))
            }
            let fetched = try replay("\(name)_Fetch_v11.req.bin", FetchResponse.self, on: client)
            let served = try #require(fetched.topics.first?.partitions.first { $0.partitionIndex == 1 })
            #expect(served.records?.bytes.starts(with: records) == true, "the produced batch comes back verbatim")
            #expect(served.lastStableOffset == served.highWatermark)
            let offsets = try replay("\(name)_ListOffsets_v5.req.bin", ListOffsetsResponse.self, on: client)
            #expect(offsets.topics.first?.partitions.allSatisfy { $0.errorCode == .noError && $0.offset == 0 } == true)
            #expect(broker.metrics.topics.keys.contains("\(short)-topic"))
        }
    }

    /// The group side: FindCoordinator, JoinGroup (MEMBER_ID_REQUIRED), then requests naming the
    /// member of the captured session, which this broker never met.
    @Test(arguments: ["kafka-python", "librdkafka"])
    func groupRequests(client name: String) throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let coordinator = try replay("\(name)_FindCoordinator_v2.req.bin", FindCoordinatorResponse.self, on: client)
            #expect(coordinator.errorCode == .noError && coordinator.port == Int32(broker.port))
            let joinFixture = try FixtureFiles.named("\(name)_JoinGroup_v5.req.bin")
            let clientId = try #require(try KafkaRequest.decode(frame: joinFixture.bytes).header.clientId)
            let join = try replay("\(name)_JoinGroup_v5.req.bin", JoinGroupResponse.self, on: client)
            #expect(join.errorCode == .memberIdRequired)
            #expect(join.memberId.hasPrefix(clientId + "-"))
            let sync = try replay("\(name)_SyncGroup_v3.req.bin", SyncGroupResponse.self, on: client)
            #expect(sync.errorCode == .unknownMemberId)
            if name == "librdkafka" {
                let heartbeat = try replay("\(name)_Heartbeat_v3.req.bin", HeartbeatResponse.self, on: client)
                #expect(heartbeat.errorCode == .unknownMemberId)
            }
            let commit = try replay("\(name)_OffsetCommit_v7.req.bin", OffsetCommitResponse.self, on: client)
            #expect(commit.topics.flatMap(\.partitions).allSatisfy { $0.errorCode == .unknownMemberId })
            let fetched = try replay("\(name)_OffsetFetch_v5.req.bin", OffsetFetchResponse.self, on: client)
            #expect(fetched.topics.first?.partitions.map(\.committedOffset) == [-1, -1])
            let leaveName = name == "kafka-python" ? "LeaveGroup_v3" : "LeaveGroup_v1"
            let leave = try replay("\(name)_\(leaveName).req.bin", LeaveGroupResponse.self, on: client)
            if name == "kafka-python" {
                #expect(leave.members.map(\.errorCode) == [.unknownMemberId])
            } else {
                #expect(leave.errorCode == .unknownMemberId)
            }
        }
    }
}
