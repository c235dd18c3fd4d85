import Testing
import Wire

@testable import Broker

/// Headers, the version table, the error table and request dispatch errors.
@Suite struct ProtocolHeaderTests {
    /// §1's "Advertise min–max" column, row by row.
    @Test func advertisedVersionsMatchTheProtocolNotes() {
        let expected: [ApiKey: ClosedRange<Int16>] = [
            .apiVersions: 0...2, .metadata: 0...8, .produce: 0...8, .initProducerId: 0...1, .fetch: 4...11,
            .listOffsets: 1...5, .findCoordinator: 0...2, .joinGroup: 0...5, .syncGroup: 0...3, .heartbeat: 0...3,
            .leaveGroup: 0...3, .offsetCommit: 2...7, .offsetFetch: 1...5, .createTopics: 2...4,
        ]
        #expect(ApiVersionTable.recommended.ranges == expected)
        #expect(ApiVersionTable.recommendedWithFlexibleApiVersions.range(for: .apiVersions) == 0...4)
        for key in ApiKey.allCases where key != .apiVersions {
            #expect(!key.isFlexible(key.advertisedVersions.upperBound), "\(key) must stay non-flexible")
        }
        #expect(ApiKey.apiVersions.isFlexible(3) && ApiKey.apiVersions.responseHeaderVersion(3) == 0)
        #expect(ApiKey.fetch.responseHeaderVersion(12) == 1 && ApiKey.fetch.requestHeaderVersion(12) == 2)
    }

    /// Codes, names and retriability as Kafka's protocol guide and Errors.java list them.
    @Test func errorTableMatchesKafka() {
        let expected: [(Int16, String, Bool)] = [
            (0, "NONE", false), (1, "OFFSET_OUT_OF_RANGE", false), (2, "CORRUPT_MESSAGE", true),
            (3, "UNKNOWN_TOPIC_OR_PARTITION", true), (4, "INVALID_FETCH_SIZE", false),
            (5, "LEADER_NOT_AVAILABLE", true), (6, "NOT_LEADER_OR_FOLLOWER", true), (7, "REQUEST_TIMED_OUT", true),
            (10, "MESSAGE_TOO_LARGE", false), (14, "COORDINATOR_LOAD_IN_PROGRESS", true),
            (15, "COORDINATOR_NOT_AVAILABLE", true), (16, "NOT_COORDINATOR", true),
            (17, "INVALID_TOPIC_EXCEPTION", false), (18, "RECORD_LIST_TOO_LARGE", false),
            (22, "ILLEGAL_GENERATION", false), (23, "INCONSISTENT_GROUP_PROTOCOL", false),
            (24, "INVALID_GROUP_ID", false), (25, "UNKNOWN_MEMBER_ID", false), (26, "INVALID_SESSION_TIMEOUT", false),
            (27, "REBALANCE_IN_PROGRESS", false), (35, "UNSUPPORTED_VERSION", false),
            (36, "TOPIC_ALREADY_EXISTS", false), (37, "INVALID_PARTITIONS", false),
            (38, "INVALID_REPLICATION_FACTOR", false), (42, "INVALID_REQUEST", false),
            (43, "UNSUPPORTED_FOR_MESSAGE_FORMAT", false), (45, "OUT_OF_ORDER_SEQUENCE_NUMBER", false),
            (46, "DUPLICATE_SEQUENCE_NUMBER", false), (47, "INVALID_PRODUCER_EPOCH", false),
            (59, "UNKNOWN_PRODUCER_ID", false), (79, "MEMBER_ID_REQUIRED", false), (-1, "UNKNOWN_SERVER_ERROR", false),
        ]
        for (code, name, retriable) in expected {
            let error = KafkaErrorCode(rawValue: code)
            #expect(error.name == name && error.isRetriable == retriable, "\(code)")
        }
        #expect(KafkaErrorCode.memberIdRequired.rawValue == 79 && KafkaErrorCode.notCoordinator.rawValue == 16)
        #expect(
            KafkaErrorCode(rawValue: 1234).name == "UNKNOWN_CODE_1234" && !KafkaErrorCode(rawValue: 1234).isRetriable)
        #expect(!KafkaErrorCode.noError.isError && KafkaErrorCode.unknownServerError.isError)
    }

    /// v2 headers carry a tagged-field section that is skipped even when it holds fields.
    @Test func requestHeaderV2SkipsTaggedFields() throws {
        // ApiVersions v3, correlation 7, client "c", one tagged field (tag 5, 2 bytes), then the body.
        let frame: [UInt8] = [0, 18, 0, 3, 0, 0, 0, 7, 0, 1, 0x63, 1, 5, 2, 0xaa, 0xbb, 2, 0x61, 2, 0x31, 0]
        let (header, request) = try KafkaRequest.decode(
            frame: frame, versions: .recommendedWithFlexibleApiVersions, strict: true)
        #expect(header == KafkaRequestHeader(.apiVersions, version: 3, correlationId: 7, clientId: "c"))
        #expect(request == .apiVersions(.init(clientSoftwareName: "a", clientSoftwareVersion: "1")))
    }

    @Test func requestHeaderV1AllowsNullClientId() throws {
        let header = KafkaRequestHeader(.metadata, version: 8, correlationId: 1, clientId: nil)
        var writer = ByteWriter()
        header.encode(into: &writer)
        #expect(writer.bytes == [0, 3, 0, 8, 0, 0, 0, 1, 0xff, 0xff])
        var reader = ByteReader(writer.bytes)
        #expect(try KafkaRequestHeader.decode(from: &reader) == header)
    }

    @Test func dispatchSeparatesUnknownUnsupportedAndMalformed() throws {
        let unknown: [UInt8] = [0, 99, 0, 0, 0, 0, 0, 5, 0xff, 0xff]
        let unknownPrefix = RequestPrefix(apiKey: 99, apiVersion: 0, correlationId: 5)
        #expect(throws: KafkaRequestError.unknownApiKey(unknownPrefix)) { try KafkaRequest.decode(frame: unknown) }

        let fetchV12: [UInt8] = [0, 1, 0, 12, 0, 0, 0, 6, 0xff, 0xff]
        let fetchPrefix = RequestPrefix(apiKey: 1, apiVersion: 12, correlationId: 6)
        #expect(throws: KafkaRequestError.unsupportedVersion(.fetch, fetchPrefix)) {
            try KafkaRequest.decode(frame: fetchV12)
        }

        let shortMetadata: [UInt8] = [0, 3, 0, 8, 0, 0, 0, 7, 0xff, 0xff, 0, 0]
        do {
            _ = try KafkaRequest.decode(frame: shortMetadata)
            Issue.record("a truncated body decoded")
        } catch {
            guard case .malformed(.metadata, let prefix, _) = error else {
                Issue.record("expected malformed, got \(error)")
                return
            }
            #expect(prefix.correlationId == 7)
        }

        do {
            _ = try KafkaRequest.decode(frame: [0, 3, 0])
            Issue.record("a 3-byte frame decoded")
        } catch {
            #expect(error.prefix == nil)
        }
    }

    /// Trailing bytes are tolerated by default and refused when strict.
    @Test func trailingBytesAreReportedOnlyWhenStrict() throws {
        let frame = try FixtureFiles.named("librdkafka_Heartbeat_v3.req.bin").bytes + [0x42]
        _ = try KafkaRequest.decode(frame: frame)
        #expect(throws: KafkaRequestError.self) { try KafkaRequest.decode(frame: frame, strict: true) }
    }

    @Test func responseHeaderVersions() {
        var writer = ByteWriter()
        KafkaResponseHeader.encode(correlationId: 3, apiKey: .apiVersions, version: 3, into: &writer)
        #expect(writer.bytes == [0, 0, 0, 3])
        writer.clear()
        KafkaResponseHeader.encode(correlationId: 3, apiKey: .fetch, version: 11, into: &writer)
        #expect(writer.bytes == [0, 0, 0, 3])
    }
}
