import Broker
import Foundation
import Query
import Testing

@testable import spate

/// `spate gen clicks` against an in-process broker: what lands in the topic is exactly what the
/// truth file says was sent, partition by partition and in order.
@Suite struct GenClicksTests {
    /// One truth line, parsed with Foundation (not with the code that wrote it).
    struct TruthLine {
        var partition: Int
        var tsMs: Int64
        var userId: String
        var ip: String
        var url: String
        var status: Int64
        var reason: String?

        init(_ line: Substring) throws {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            partition = try #require(object["partition"] as? Int)
            tsMs = try #require((object["ts"] as? NSNumber)?.int64Value)
            userId = try #require(object["user_id"] as? String)
            ip = try #require(object["ip"] as? String)
            url = try #require(object["url"] as? String)
            status = try #require((object["status"] as? NSNumber)?.int64Value)
            reason = object["reason"] as? String
            #expect((object["defect"] == nil) == (reason == nil), "\(line)")
        }
    }

    @Test func everyRecordMatchesItsTruthLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spate-gen-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let truthPath = directory + "/truth.jsonl"
        let config = BrokerConfig(dataDirectory: directory + "/broker", port: 0)
        let broker = try await onThread { () throws(BrokerError) in try KafkaBroker.start(config) }
        defer { broker.stop() }
        let client = try KafkaClient(bootstrap: "127.0.0.1:\(broker.port)")
        defer { client.close() }
        let options = ClickStreamOptions(
            topic: "gen-e2e", ratePerSecond: 0, count: 5_000, durationSeconds: nil, seed: 7, malformedShare: 0.05,
            partitions: 3, truthPath: truthPath)
        let summary = try await onThread { () throws(ClickStreamError) in
            try ClickStream.produce(options, client: client, stop: StopFlag(), log: { _ in })
        }
        #expect(summary.sent == 5_000 && summary.failed == 0 && summary.partitions == 3)

        let truth = try String(contentsOfFile: truthPath, encoding: .utf8).split(separator: "\n").map(TruthLine.init)
        #expect(truth.count == 5_000)
        let malformed = truth.filter { $0.reason != nil }.count
        #expect(malformed == summary.malformed)
        #expect((150...350).contains(malformed), "about 5% of 5,000 malformed, got \(malformed)")

        let fetched = try await onThread { () throws(KafkaClientError) in try Self.fetchAll(client, topic: "gen-e2e") }
        #expect(fetched.map(\.count).reduce(0, +) == 5_000)
        for (partition, records) in fetched.enumerated() {
            let expected = truth.filter { $0.partition == partition }
            #expect(records.count == expected.count, "partition \(partition)")
            guard records.count == expected.count else { continue }
            #expect(records.map(\.key) == expected.map { Optional(Array($0.userId.utf8)) }, "keyed by user_id")
            #expect(
                expected.allSatisfy {
                    Murmur2.partition(forKey: Array($0.userId.utf8), partitionCount: 3) == Int32(partition)
                }, "Kafka's default partitioner would put these keys here too")
            try Self.checkDecoded(records, expected, partition: partition)
        }
    }

    /// A paced run holds its rate on average, and a stop request ends it cleanly: everything it
    /// counted as sent is in the topic.
    @Test func pacedRunStopsCleanlyWithEverythingFlushed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spate-gen-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = BrokerConfig(dataDirectory: directory, port: 0)
        let broker = try await onThread { () throws(BrokerError) in try KafkaBroker.start(config) }
        defer { broker.stop() }
        let client = try KafkaClient(bootstrap: "127.0.0.1:\(broker.port)")
        defer { client.close() }
        // The duration is only a safety net: the test stops the run long before.
        let options = ClickStreamOptions(
            topic: "gen-paced", ratePerSecond: 2_000, count: nil, durationSeconds: 120, seed: 3, malformedShare: 0,
            partitions: 2, truthPath: nil)
        let stop = StopFlag()
        let started = Date()
        async let run = onThread { () throws(ClickStreamError) in
            try ClickStream.produce(options, client: client, stop: stop, log: { _ in })
        }
        // Whatever happens below, the producing thread ends. Declared after `run`, so it runs before
        // leaving the scope awaits `run`.
        defer { stop.set() }
        // Stop once the first second's worth has been produced (a generous safety net on the wait).
        let deadline = Date().addingTimeInterval(60)
        var landed = 0
        while landed < 2_000 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            landed = try await onThread { () throws(KafkaClientError) in
                try Self.fetchAll(client, topic: "gen-paced").map(\.count).reduce(0, +)
            }
        }
        stop.set()
        let summary = try await run
        let elapsed = Date().timeIntervalSince(started)
        #expect(summary.interrupted)
        #expect(summary.sent >= 2_000)
        // Paced: no more than the rate allows over the time it ran (plus one burst).
        #expect(Double(summary.sent) <= 2_000 * elapsed + Double(ClickPacer.burstMax), "\(summary)")
        let inTopic = try await onThread { () throws(KafkaClientError) in
            try Self.fetchAll(client, topic: "gen-paced").map(\.count).reduce(0, +)
        }
        #expect(inTopic == summary.sent, "everything sent was flushed before the run returned")
    }

    /// Decoding the records as the example jobs do gives the truth's fields for well-formed lines
    /// and dead letters with the truth's reasons, at the truth's positions, for the rest.
    static func checkDecoded(_ records: [Record], _ expected: [TruthLine], partition: Int) throws {
        let plan = try QueryCompiler.compile(
            """
            CREATE STREAM clicks (ts TIMESTAMP, ip STRING, user_id STRING, url STRING, status INT)
              WITH (topic = 'gen-e2e', format = 'json', event_time = 'ts', watermark = '5 seconds');
            CREATE SINK out WITH (type = 'console');
            INSERT INTO out SELECT ts, ip, user_id, url, status FROM clicks;
            """)
        let source = SourceRecords(partition: Int32(partition), firstOffset: 0, values: records.map(\.value))
        let decoded = RecordDecoder(source: plan.source, decodedColumns: plan.decodedColumns).decode(source)
        let deadOffsets = expected.indices.filter { expected[$0].reason != nil }.map(Int64.init)
        #expect(decoded.deadLetters.map(\.offset) == deadOffsets, "partition \(partition)")
        #expect(decoded.deadLetters.map(\.reason.tag) == expected.compactMap(\.reason), "partition \(partition)")
        let good = expected.filter { $0.reason == nil }
        let rows = decoded.batch.rows
        #expect(rows.count == good.count)
        for (row, line) in zip(rows, good) {
            let want: [Value] = [
                .timestamp(line.tsMs), .string(line.ip), .string(line.userId), .string(line.url), .int64(line.status),
            ]
            if row != want { Issue.record("partition \(partition): \(row) != \(want)") }
        }
    }

    /// Every record of every partition of `topic`, partition by partition.
    static func fetchAll(_ client: KafkaClient, topic: String) throws(KafkaClientError) -> [[Record]] {
        let latest: [Int32: Int64]
        do {
            latest = try client.offsets(topic: topic, at: .latest)
        } catch .unknownTopic {
            return []  // not created yet
        }
        var out = [[Record]](repeating: [], count: latest.count)
        for (partition, end) in latest {
            var offset: Int64 = 0
            while offset < end {
                let fetched = try client.fetch(
                    topic: topic, partition: partition, offset: offset, options: FetchOptions(maxWaitMs: 0))
                out[Int(partition)] += try fetched.decodedRecords()
                guard fetched.nextOffset > offset else { break }
                offset = fetched.nextOffset
            }
        }
        return out
    }
}
