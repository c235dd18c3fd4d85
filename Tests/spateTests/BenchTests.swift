import Foundation
import Query
import Testing

@testable import spate

/// `spate bench query` end to end on a small load, and the pieces `spate bench cluster` reads.
@Suite struct BenchTests {
    /// The benchmark loads its clicks, runs the job to the end and finds the sink's windows equal
    /// to the ones it computed with plain sets; the JSON names every figure.
    @Test func benchQueryRunsTheJobExactly() async throws {
        let report = try await BenchQuery.run(
            BenchQuery.Options(events: 20_000, threads: [2], recordsPerBatchMax: 5_000, log: { _ in }))
        let run = try #require(report.runs.first)
        #expect(report.events == 20_001)
        #expect(run.events == 20_001)
        #expect(run.progress.count >= 4, "a 5,000-record cap splits 20,001 records into at least 4 batches")
        #expect(run.exact)
        #expect((report.decode?.megabytesPerSecond ?? 0) > 0)
        let json = try #require(
            JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(runs.first?["exact"] as? Bool == true)
        #expect(runs.first?["events_per_s"] is Double)
        #expect(json["json_decode"] is [String: Any])
    }

    /// `--dump-events` writes exactly the values the benchmark loads, one per line: the generated
    /// clicks (malformed ones included, none holding a newline) and the closing click last.
    @Test func dumpedEventsAreTheLoadedValuesOnePerLine() throws {
        let path = NSTemporaryDirectory() + "spate-dump-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let events = 3_000
        #expect(try BenchClicks.dump(events: events, to: path) == events + 1)
        let lines = try #require(FileManager.default.contents(atPath: path)).split(
            separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        #expect(lines.count == events + 2 && lines.last?.isEmpty == true, "every value ends with a newline")
        var generator = ClickGenerator(seed: BenchClicks.seed)
        var value: [UInt8] = []
        var mismatched = 0
        var malformed = 0
        for line in lines.prefix(events) {
            value.removeAll()
            if generator.append(to: &value).defect != nil { malformed += 1 }
            if Array(line) != value { mismatched += 1 }
        }
        #expect(mismatched == 0)
        #expect(malformed > 0, "the dump holds the malformed lines too")
        let closer = try #require(
            JSONSerialization.jsonObject(with: Data(lines[events])) as? [String: Any])
        #expect(closer["user_id"] as? String == "closer")
    }

    /// The window rows computed for the benchmark: status ≥ 500 and malformed lines do not count,
    /// distinct users and IPs are counted once per window.
    @Test func windowTruthCountsLikeThePvUvJob() {
        var truth = WindowTruth()
        truth.add(tsMs: 10_001, userId: "u1", ip: "1.1.1.1", status: 200, wellFormed: true)
        truth.add(tsMs: 19_999, userId: "u1", ip: "1.1.1.2", status: 404, wellFormed: true)
        truth.add(tsMs: 15_000, userId: "u2", ip: "1.1.1.1", status: 503, wellFormed: true)
        truth.add(tsMs: 12_000, userId: "u3", ip: "1.1.1.3", status: 200, wellFormed: false)
        truth.add(tsMs: 20_000, userId: "u2", ip: "1.1.1.1", status: 200, wellFormed: true)
        truth.add(tsMs: -1, userId: "u9", ip: "9.9.9.9", status: 200, wellFormed: true)
        #expect(truth.rows == [[-10_000, 1, 1, 1], [10_000, 2, 1, 2], [20_000, 1, 1, 1]])
    }

    /// The address children print when they listen: the broker's and the driver's lines.
    @Test func listeningAddressesAreReadFromStartupLines() throws {
        #expect(
            try listeningAddress(in: "spate broker listening on 127.0.0.1:40123 (data: /tmp/x)") == "127.0.0.1:40123")
        #expect(
            try listeningAddress(in: "spate driver listening on 127.0.0.1:7077 (http 127.0.0.1:4040, checkpoint c)")
                == "127.0.0.1:7077")
        #expect(throws: BenchError.self) { try listeningAddress(in: "spate broker starting") }
    }

    /// Percentiles are nearest-rank: p50 of 1...100 is 50, p99 is 99, and one sample is every percentile.
    @Test func percentilesAreNearestRank() {
        let sorted = (1...100).map { Int64($0) }
        #expect(BenchClusterReport.Paced.percentile(sorted, 0.5) == 50)
        #expect(BenchClusterReport.Paced.percentile(sorted, 0.99) == 99)
        #expect(BenchClusterReport.Paced.percentile([7], 0.99) == 7)
        #expect(BenchClusterReport.Paced.percentile([], 0.5) == 0)
    }
}
