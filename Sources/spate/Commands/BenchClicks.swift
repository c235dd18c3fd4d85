import Broker
import Foundation
import Query

/// Generated clicks loaded into a broker for `spate bench query` and `spate bench cluster`, with
/// the pv/uv/ips rows the pv_uv job must write, computed independently with plain sets.
struct BenchClicks: Sendable {
    /// The topic pv_uv.sql reads.
    static let topic = "website-logs"
    /// Every run loads the same bytes.
    static let seed: UInt64 = 2026

    /// Records in the topic (the generated events plus one closing event).
    var records: Int
    /// Bytes of their values.
    var valueBytes: Int
    /// Lines broken on purpose (each one a dead letter of the job).
    var malformed: Int
    /// [window start ms, pv, uv, ips] per 10-second window, by window start.
    var expectedRows: [[Int64]]
    /// Seconds spent producing.
    var loadSeconds: Double

    /// Produces `events` generated clicks round-robin over the topic's `partitions` partitions (the
    /// same bytes `FormatBenchmark.jsonDecode(events:seed:)` decodes), then one well-formed click a
    /// minute of event time later, whose watermark closes every window of the generated ones.
    static func load(broker address: String, events: Int, partitions: Int32) throws -> BenchClicks {
        let started = Date()
        var clicks = BenchClicks(records: 0, valueBytes: 0, malformed: 0, expectedRows: [], loadSeconds: 0)
        let failed = try produce(to: address, events: events, partitions: partitions, into: &clicks)
        guard failed == 0 else { throw BenchError("the broker refused \(failed) of the \(events + 1) clicks loaded") }
        clicks.loadSeconds = Date().timeIntervalSince(started)
        return clicks
    }

    /// Calls `body` with every value the benchmark loads, in order: the generated clicks with their
    /// truth, then one well-formed closing click a minute of event time later (truth nil).
    static func forEachValue<Failure: Error>(
        events: Int, _ body: (_ value: [UInt8], _ click: ClickTruth?) throws(Failure) -> Void
    ) throws(Failure) {
        var generator = ClickGenerator(seed: seed)
        var value: [UInt8] = []
        value.reserveCapacity(1024)
        for _ in 0..<events {
            value.removeAll(keepingCapacity: true)
            let click = generator.append(to: &value)
            try body(value, click)
        }
        let closeMs = generator.nowMs + 60_000
        try body(Array(#"{"ts":\#(closeMs),"ip":"192.0.2.1","user_id":"closer","status":200}"#.utf8), nil)
    }

    /// Writes the values the benchmark loads to `path`, one per line (no generated value holds a
    /// newline), so another program can be measured on the same bytes; returns the lines written.
    static func dump(events: Int, to path: String) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path)
        else { throw BenchError("cannot create \(path)") }
        defer { try? file.close() }
        var pending: [UInt8] = []
        var lines = 0
        try forEachValue(events: events) { value, _ in
            pending += value
            pending.append(UInt8(ascii: "\n"))
            lines += 1
            if pending.count >= 1 << 20 {
                try file.write(contentsOf: pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        try file.write(contentsOf: pending)
        return lines
    }

    /// Produces the clicks and fills in what was sent; returns the records the broker refused.
    private static func produce(to address: String, events: Int, partitions: Int32, into clicks: inout BenchClicks)
        throws(KafkaClientError) -> Int
    {
        let client = try KafkaClient(bootstrap: address, clientId: "spate-bench-load")
        defer { client.close() }
        do {
            try client.createTopic(topic, partitions: partitions)
        } catch .topicAlreadyExists {
            // Made by an earlier phase: the caller counts what is already in it.
        }
        let producer = try KafkaProducer(client: client, config: ClickStream.producerConfig())
        var truth = WindowTruth()
        var index = 0
        try forEachValue(events: events) { (value, click) throws(KafkaClientError) in
            if let click {
                truth.add(click)
                if click.defect != nil { clicks.malformed += 1 }
            }
            clicks.valueBytes += value.count
            // The closer goes to partition 0; the clicks round-robin.
            let partition = click == nil ? 0 : Int32(index % Int(partitions))
            try producer.send(topic: topic, value: value, partition: partition)
            index += 1
        }
        clicks.records = events + 1
        clicks.expectedRows = truth.rows
        return producer.close().failedRecords
    }
}

/// pv, distinct users and distinct IPs per 10-second window of the well-formed clicks with
/// status below 500: the pv_uv job's answer, computed without any of Spate's operators.
struct WindowTruth {
    private var pv: [Int64: Int64] = [:]
    private var users: [Int64: Set<String>] = [:]
    private var ips: [Int64: Set<String>] = [:]

    mutating func add(_ truth: ClickTruth) {
        add(
            tsMs: truth.click.tsMs, userId: truth.click.userId, ip: truth.click.ip, status: truth.click.status,
            wellFormed: truth.defect == nil)
    }

    /// Counts one click (one that does not decode counts nowhere).
    mutating func add(tsMs ts: Int64, userId: String, ip: String, status: Int64, wellFormed: Bool) {
        guard wellFormed, status < 500 else { return }
        let start = ts - ((ts % 10_000) + 10_000) % 10_000
        pv[start, default: 0] += 1
        users[start, default: []].insert(userId)
        ips[start, default: []].insert(ip)
    }

    /// [window start, pv, uv, ips] by window start.
    var rows: [[Int64]] {
        pv.keys.sorted().map { start in
            [start, pv[start] ?? 0, Int64(users[start]?.count ?? 0), Int64(ips[start]?.count ?? 0)]
        }
    }
}

/// The pv_uv file sink's rows as [window start, pv, uv, ips], read with Foundation's JSON parser.
enum PvUvSinkRows {
    static func read(_ directory: String) throws -> [[Int64]] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var rows: [[Int64]] = []
        for file in files where file.hasSuffix(".jsonl") {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let start = object["window_start"] as? String,
                    let pv = object["pv"] as? Int, let uv = object["uv"] as? Int, let ips = object["ips"] as? Int
                else { throw BenchError("unexpected sink row in \(file): \(line)") }
                rows.append([try TimestampCodec.parseISO8601(start), Int64(pv), Int64(uv), Int64(ips)])
            }
        }
        return rows.sorted { $0[0] < $1[0] }
    }
}

/// Why a benchmark could not run or produced wrong results.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
