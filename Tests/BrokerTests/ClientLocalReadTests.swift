import Foundation
import Testing
import Wire

@testable import Broker

/// The local read path against a live broker: records read from the segment files are exactly the
/// ones Fetch returns and the ones produced, the path is really taken, and every reason to distrust
/// it (a foreign host token, a broker that does not serve it, a segment file gone) falls back to
/// Fetch with the records still exact.
@Suite(.dedicatedThread) struct ClientLocalReadTests {
    /// Small segments, so a few hundred kilobytes of records span many files.
    private static func smallSegments(_ config: inout BrokerConfig) {
        config.log = LogConfig(segmentBytes: 16 << 10, indexIntervalBytes: 1024)
    }

    private struct Produced {
        var keys: [[UInt8]?] = []
        var values: [[UInt8]] = []
    }

    /// `count` random records into partition 0 of a fresh one-partition `topic`, in offset order.
    private static func produce(
        _ client: KafkaClient, topic: String, count: Int, random: inout RecordsRandom
    ) throws -> Produced {
        try client.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(client: client, config: smallBatches())
        defer { producer.close() }
        var produced = Produced()
        for _ in 0..<count {
            let key = random.optionalBytes(countMax: 12)
            let value = random.bytes(Int.random(in: 0...300, using: &random))
            _ = try producer.send(topic: topic, key: key, value: value, partition: 0)
            produced.keys.append(key)
            produced.values.append(value)
        }
        _ = try producer.flush()
        return produced
    }

    private static func expectMatches(_ fetched: FetchedPartition, _ produced: Produced, from offset: Int64) throws {
        let records = try fetched.decodedRecords()
        #expect(!records.isEmpty)
        #expect(records.map(\.offset) == Array(offset..<offset + Int64(records.count)))
        for record in records {
            #expect(record.key == produced.keys[Int(record.offset)], "key at \(record.offset)")
            #expect(record.value == produced.values[Int(record.offset)], "value at \(record.offset)")
        }
    }

    /// Fetches partition 0 of `topic` at each of `offsets` and checks the records against `produced`.
    private static func expectFetches(
        _ client: KafkaClient, topic: String, offsets: [Int64], match produced: Produced
    ) throws {
        for offset in offsets {
            let fetched = try client.fetch(
                topic: topic, partition: 0, offset: offset, options: FetchOptions(maxWaitMs: 0))
            try expectMatches(fetched, produced, from: offset)
        }
    }

    private static func segmentFiles(_ broker: KafkaBroker, topic: String) throws -> [String] {
        let directory = broker.dataDirectory + "/" + PartitionLog.directoryName(topic: topic, partition: 0)
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".log") }.sorted()
            .map { directory + "/" + $0 }
    }

    @Test func localAndSocketReadsReturnTheProducedRecordsByteForByte() throws {
        var random = RecordsRandom(seed: RecordsRandom.seed(41))
        try withClient(Self.smallSegments) { broker, producing in
            let produced = try Self.produce(producing, topic: "local", count: 3_000, random: &random)
            #expect(try Self.segmentFiles(broker, topic: "local").count > 5)
            let local = try testClient(broker) { $0.localReads = true }
            let remote = try testClient(broker)
            defer {
                local.close()
                remote.close()
            }
            for _ in 0..<60 {
                let offset = Int64.random(in: 0..<Int64(produced.values.count), using: &random)
                let bytes = Int32.random(in: 100...40_000, using: &random)
                let options = FetchOptions(maxWaitMs: 0, maxBytes: bytes, partitionMaxBytes: bytes, verifyCRC: true)
                let viaFiles = try local.fetch(topic: "local", partition: 0, offset: offset, options: options)
                let viaSocket = try remote.fetch(topic: "local", partition: 0, offset: offset, options: options)
                #expect(Array(viaFiles.records.bytes) == Array(viaSocket.records.bytes), "offset \(offset)")
                #expect(viaFiles.nextOffset == viaSocket.nextOffset && viaFiles.highWatermark == 3_000)
                #expect(viaFiles.logStartOffset == viaSocket.logStartOffset)
                try Self.expectMatches(viaFiles, produced, from: offset)
                try Self.expectMatches(viaSocket, produced, from: offset)
            }
            let counts = local.localReadCounts
            #expect(counts.localBytes > 0 && counts.fetchedBytes == 0 && counts.fallbacks == 0)
            #expect(remote.localReadCounts.localBytes == 0 && remote.localReadCounts.fetchedBytes > 0)
            #expect(broker.metrics.localReadRequests == 60)
            let exported = BrokerMetricsExporter(broker: broker).render().split(separator: "\n")
            #expect(exported.contains("spate_broker_local_reads_total 60"))
            // At the log end there is nothing to read locally: Fetch answers (and would long-poll).
            let atEnd = try local.fetch(
                topic: "local", partition: 0, offset: 3_000, options: FetchOptions(maxWaitMs: 0))
            #expect(atEnd.isEmpty && atEnd.highWatermark == 3_000)
        }
    }

    @Test func aForeignHostTokenFallsBackToFetchForGood() throws {
        var random = RecordsRandom(seed: RecordsRandom.seed(42))
        try withClient(Self.smallSegments) { broker, producing in
            let produced = try Self.produce(producing, topic: "foreign", count: 500, random: &random)
            // As another host's broker would look: the file at the path it names holds another token.
            let tokenPath = broker.dataDirectory + "/" + HostToken.fileName
            let original = try String(contentsOfFile: tokenPath, encoding: .utf8)
            #expect(original.count == 32 && original.allSatisfy(\.isHexDigit))
            try String(repeating: "0", count: 32).write(toFile: tokenPath, atomically: true, encoding: .utf8)
            let local = try testClient(broker) { $0.localReads = true }
            defer { local.close() }
            try Self.expectFetches(local, topic: "foreign", offsets: [0, 123, 499], match: produced)
            let counts = local.localReadCounts
            #expect(counts.localBytes == 0 && counts.fallbacks == 1 && counts.remoteBrokers == 1)
            #expect(counts.fetchedBytes > 0)
            // Asked once, then remembered as remote.
            #expect(broker.metrics.localReadRequests == 1)
        }
    }

    @Test func aBrokerThatDoesNotServeLocalReadsIsFetchedFrom() throws {
        var random = RecordsRandom(seed: RecordsRandom.seed(43))
        try withClient({ $0.servesLocalReads = false }) { broker, producing in
            let produced = try Self.produce(producing, topic: "plain", count: 400, random: &random)
            let local = try testClient(broker) { $0.localReads = true }
            defer { local.close() }
            try Self.expectFetches(local, topic: "plain", offsets: [0, 200, 399], match: produced)
            let counts = local.localReadCounts
            #expect(counts.localBytes == 0 && counts.remoteBrokers == 1 && counts.fetchedBytes > 0)
            // The request was refused as an unknown key: one rejected frame, one closed connection.
            #expect(broker.metrics.rejectedRequests == 1 && broker.metrics.localReadRequests == 0)
        }
    }

    @Test func aSegmentFileGoneBeforeTheReadFallsBackToFetch() throws {
        var random = RecordsRandom(seed: RecordsRandom.seed(44))
        try withClient(Self.smallSegments) { broker, producing in
            let produced = try Self.produce(producing, topic: "gone", count: 2_000, random: &random)
            let files = try Self.segmentFiles(broker, topic: "gone")
            #expect(files.count > 3)
            // Unlinked as retention unlinks it, while the log (whose index still lists it) keeps it open:
            // the broker's answer names a path the reader can no longer open.
            try Posix.unlink(files[0])
            let local = try testClient(broker) { $0.localReads = true }
            defer { local.close() }
            let options = FetchOptions(maxWaitMs: 0, maxBytes: 4096, partitionMaxBytes: 4096)
            let first = try local.fetch(topic: "gone", partition: 0, offset: 0, options: options)
            try Self.expectMatches(first, produced, from: 0)
            var counts = local.localReadCounts
            #expect(counts.fallbacks == 1 && counts.localBytes == 0 && counts.remoteBrokers == 0)
            // The broker is still trusted: a later segment is read locally.
            let late = try local.fetch(topic: "gone", partition: 0, offset: 1_900, options: options)
            try Self.expectMatches(late, produced, from: 1_900)
            counts = local.localReadCounts
            #expect(counts.fallbacks == 1 && counts.localBytes > 0)
        }
    }

    @Test func aMalformedLocalReadClosesOnlyItsConnection() throws {
        try withBroker { broker in
            let bystander = try TestKafkaClient(broker)
            _ = try bystander.metadata(["steady"])
            let attacker = try TestKafkaClient(broker)
            let frame = Array(
                LocalReadRequest(topic: "steady", partition: 0, fetchOffset: 0, maxBytes: 100).frame(clientId: "x")
                    .dropFirst(4))
            try attacker.sendFrame(Array(frame.dropLast(3)))
            #expect(try attacker.closesWithoutReply())
            #expect(try bystander.metadata(["steady"]).topics.first?.errorCode == .noError)
            // A well-formed one on a fresh connection is answered, with the broker's token and file.
            let asking = try TestKafkaClient(broker)
            try asking.sendFrame(frame)
            let (_, response) = try LocalReadResponse.decode(frame: try asking.readFrame())
            #expect(response.errorCode == .noError && response.regions.isEmpty && response.highWatermark == 0)
            let token = try String(contentsOfFile: response.tokenPath, encoding: .utf8)
            #expect(token == response.hostToken && response.tokenPath.hasPrefix("/"))
        }
    }
}
