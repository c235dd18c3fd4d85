import Broker
import Foundation
import Query
import Testing
import Wire

@testable import spate

/// `spate run --local` composes the real driver and an in-process executor.
@Suite struct LocalRunTests {
    /// Generated clicks, then one click a minute later whose watermark closes every earlier window:
    /// the file sink's rows equal pv/uv/ips computed from the generator's ground truth with plain
    /// loops and sets, and the dead letters count the malformed lines.
    @Test func pvUVLocallyEqualsGroundTruth() async throws {
        let directory = NSTemporaryDirectory() + "spate-localrun-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = try await thread {
            try KafkaBroker.start(BrokerConfig(dataDirectory: directory + "/broker", port: 0))
        }
        defer { broker.stop() }
        var options = ClickGenerator.Options()
        options.eventsPerSecond = 100
        options.malformedShare = 0.02
        var generator = ClickGenerator(seed: 81, options: options)
        let clicks = (0..<3_000).map { _ in generator.next() }
        let lastMs = clicks.map(\.truth.click.tsMs).max() ?? 0
        let closer = Array(#"{"ts":\#(lastMs + 60_000),"ip":"1.1.1.1","user_id":"u0","status":200}"#.utf8)
        try await thread {
            let client = try KafkaClient(bootstrap: "127.0.0.1:\(broker.port)")
            defer { client.close() }
            try client.createTopic("website-logs", partitions: 2)
            let producer = try KafkaProducer(client: client)
            for (index, click) in clicks.enumerated() {
                try producer.send(topic: "website-logs", value: click.value, partition: Int32(index % 2))
            }
            _ = try producer.flush()
            try producer.send(topic: "website-logs", value: closer, partition: 0)
            _ = try producer.flush()
            _ = producer.close()
        }

        let local = try await LocalRun.start(
            LocalRun.Options(
                sql: Self.pvUV, fileName: "pv_uv.sql", brokerAddress: "127.0.0.1:\(broker.port)", threads: 2,
                checkpointDirectory: nil, workingDirectory: directory, console: { _ in }, log: { _ in }))
        let expected = Self.expected(clicks.map(\.truth))
        #expect(expected.count >= 3, "thirty seconds of clicks span several windows")
        let deadline = Date().addingTimeInterval(60)
        var rows: [[Int64]] = []
        while Date() < deadline {
            rows = try Self.sinkRows(directory + "/out/pv_uv")
            if rows.count >= expected.count { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let deadLetters = local.snapshot?.deadLetters
        await local.stop()
        #expect(rows.sorted { $0[0] < $1[0] } == expected)
        #expect(deadLetters == Int64(clicks.filter { $0.truth.defect != nil }.count))
    }

    /// examples/clickstream/pv_uv.sql as written (`DemoTests` keeps the built-in copy identical).
    static let pvUV = DemoSQL.builtIn

    /// [window start, pv, uv, ips] per 10-second window of the well-formed clicks with status < 500.
    static func expected(_ truths: [ClickTruth]) -> [[Int64]] {
        var pv: [Int64: Int64] = [:]
        var users: [Int64: Set<String>] = [:]
        var ips: [Int64: Set<String>] = [:]
        for truth in truths where truth.defect == nil && truth.click.status < 500 {
            let start = truth.click.tsMs - truth.click.tsMs % 10_000
            pv[start, default: 0] += 1
            users[start, default: []].insert(truth.click.userId)
            ips[start, default: []].insert(truth.click.ip)
        }
        return pv.keys.sorted().map { [$0, pv[$0]!, Int64(users[$0]!.count), Int64(ips[$0]!.count)] }
    }

    /// The file sink's rows as [window start, pv, uv, ips], parsed with Foundation's JSON reader.
    static func sinkRows(_ path: String) throws -> [[Int64]] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var rows: [[Int64]] = []
        for file in files where file.hasSuffix(".jsonl") {
            let text = try String(contentsOfFile: path + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let start = try TimestampCodec.parseISO8601(try #require(object["window_start"] as? String))
                let numbers = try ["pv", "uv", "ips"].map { try #require(object[$0] as? Int) }
                rows.append([start] + numbers.map(Int64.init))
            }
        }
        return rows
    }

    private func thread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Value, any Error>, Never>) in
            Thread { continuation.resume(returning: Result { try body() }) }.start()
        }
        return try result.get()
    }
}
