import Foundation
import Testing

@testable import Query

/// A seeded stream shape: how many partitions, how far event times trail the clock.
struct ClickstreamCase: CustomTestStringConvertible, Sendable {
    var seed: UInt64
    var partitions: Int
    var maxLagMs: Int64

    var testDescription: String { "seed \(seed), \(partitions) partitions, lag up to \(maxLagMs) ms" }

    /// Lags within the 5 s watermark (late rows only when a partition falls behind) and beyond it.
    static let all: [ClickstreamCase] = [
        ClickstreamCase(seed: 1, partitions: 3, maxLagMs: 3_000),
        ClickstreamCase(seed: 2, partitions: 4, maxLagMs: 8_000),
        ClickstreamCase(seed: 3, partitions: 1, maxLagMs: 12_000),
        ClickstreamCase(seed: 4, partitions: 5, maxLagMs: 4_000),
    ]

    static let events = 50_000

    func input() -> ClickstreamInput {
        ClickstreamInput(seed: seed, events: Self.events, partitions: partitions, maxLagMs: maxLagMs)
    }
}

/// The example jobs in `examples/clickstream/`, compiled from their files and run by a micro-batch
/// driver over generated streams, against aggregates the test computes itself.
@Suite struct ClickstreamJobTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/clickstream")

    static func plan(_ file: String) throws -> JobPlan {
        let url = examples.appendingPathComponent(file)
        return try QueryCompiler.compile(try String(contentsOf: url, encoding: .utf8), fileName: url.path)
    }

    /// Both jobs over one stream per seed (generating it is half the cost in a debug build).
    @Test(.dedicatedThread, arguments: ClickstreamCase.all)
    func examplesEqualPlainCounting(_ shape: ClickstreamCase) async throws {
        let input = shape.input()
        try Self.checkPVUV(input, seed: "seed \(shape.seed), pv_uv.sql")
        try Self.checkTopURLs(input, seed: "seed \(shape.seed), top_urls.sql")
    }

    static func checkPVUV(_ input: ClickstreamInput, seed: String) throws {
        let plan = try Self.plan("pv_uv.sql")
        let columns = ["ts", "ip", "user_id", "status"]
        #expect(plan.decodedColumns.map { plan.source.schema.fields[$0].name } == columns)
        let reference = ClickstreamReference(input, windowMs: 10_000, decodedColumns: Set(columns))
        let run = try ClickstreamDriver.run(plan, over: input)
        let rows = try Self.checkEmission(run, reference, seed: seed)
        for (start, row) in rows {
            let truth = try #require(reference.windows[start])
            let expected: [Value] = [
                .timestamp(start), .timestamp(start + 10_000), .int64(Int64(truth.pv)),
                .int64(Int64(truth.users.count)),
                .int64(Int64(truth.ips.count)),
            ]
            #expect(row == expected, "\(seed): window \(start)")
        }
        Self.checkDeadLetters(run, reference, input, seed: seed)
        if input.seed == 1, ProcessInfo.processInfo.environment["SPATE_CLICKSTREAM_SAMPLE"] != nil {
            Self.printSample(run, plan: plan)
        }
    }

    static func checkTopURLs(_ input: ClickstreamInput, seed: String) throws {
        let plan = try Self.plan("top_urls.sql")
        let columns = ["ts", "url", "status"]
        #expect(plan.decodedColumns.map { plan.source.schema.fields[$0].name } == columns)
        let reference = ClickstreamReference(input, windowMs: 60_000, decodedColumns: Set(columns))
        let run = try ClickstreamDriver.run(plan, over: input)
        let rows = try Self.checkEmission(run, reference, seed: seed)
        for (start, row) in rows {
            let truth = try #require(reference.windows[start])
            #expect(row.count == 4, "\(seed)")
            #expect(Array(row.prefix(3)) == [.timestamp(start), .timestamp(start + 60_000), .int64(Int64(truth.pv))])
            guard row.count == 4, case .string(let text) = row[3] else {
                Issue.record("\(seed): window \(start): top_urls is \(row.last.map { "\($0)" } ?? "missing")")
                continue
            }
            let parsed = try #require(
                try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], "\(seed): \(text)")
            let top = parsed.map { ($0["value"] as? String ?? "?", ($0["count"] as? NSNumber)?.intValue ?? -1) }
            let expected = ClickstreamReference.topTen(truth.urlCounts)
            #expect(top.map(\.0) == expected.map(\.url), "\(seed): window \(start)")
            #expect(top.map(\.1) == expected.map(\.count), "\(seed): window \(start)")
        }
        Self.checkDeadLetters(run, reference, input, seed: seed)
        if input.seed == 1, ProcessInfo.processInfo.environment["SPATE_CLICKSTREAM_SAMPLE"] != nil {
            Self.printSample(run, plan: plan)
        }
    }

    /// The batches ran with the reference's watermarks; every window was emitted exactly once, by
    /// the first batch whose watermark reached its end; the windows never closed are what is left
    /// in state. Returns each emitted row by window start.
    static func checkEmission(_ run: ClickstreamRun, _ reference: ClickstreamReference, seed: String) throws
        -> [(Int64, [Value])]
    {
        #expect(run.batches == reference.batches, "\(seed): batches and their watermarks")
        var rows: [(Int64, [Value])] = []
        var seen: Set<Int64> = []
        for (batch, row) in run.emitted {
            guard case .timestamp(let start) = row.first else {
                Issue.record("\(seed): a row without a window start: \(row)")
                continue
            }
            #expect(seen.insert(start).inserted, "\(seed): window \(start) emitted twice")
            #expect(reference.windows[start] != nil, "\(seed): window \(start) was never opened")
            #expect(
                reference.emittingBatch(ofWindowAt: start) == batch,
                "\(seed): window \(start) emitted by batch \(batch) (\(run.batches[batch]))")
            rows.append((start, row))
        }
        let closed = reference.windows.keys.filter { reference.emittingBatch(ofWindowAt: $0) != nil }
        #expect(seen == Set(closed), "\(seed): \(Set(closed).subtracting(seen).sorted()) never emitted")
        #expect(run.groupsLeft == reference.windows.count - closed.count, "\(seed): groups left in state")
        // Guard against a vacuous test: about 500 s of events must open and close many windows.
        #expect(closed.count >= (reference.windowMs <= 10_000 ? 40 : 7), "\(seed): only \(closed.count) windows")
        return rows
    }

    /// Dead letters are exactly the malformed lines the job cannot decode and the late rows, with
    /// their reasons, the late rows' times, and the raw bytes as generated.
    static func checkDeadLetters(
        _ run: ClickstreamRun, _ reference: ClickstreamReference, _ input: ClickstreamInput, seed: String
    ) {
        let actual = run.deadLetters.map { letter -> ExpectedDeadLetter in
            var lateAt: [Int64] = []
            if case .late(let eventTimeMs, let watermarkMs) = letter.reason { lateAt = [eventTimeMs, watermarkMs] }
            return ExpectedDeadLetter(
                partition: Int(letter.partition), offset: Int(letter.offset), tag: letter.reason.tag, lateAt: lateAt)
        }.sorted()
        #expect(actual.count == reference.deadLetters.count, "\(seed): dead letter count")
        let missing = Set(reference.deadLetters).subtracting(actual).sorted().prefix(5)
        let extra = Set(actual).subtracting(reference.deadLetters).sorted().prefix(5)
        #expect(missing.isEmpty && extra.isEmpty, "\(seed): missing \(Array(missing)), unexpected \(Array(extra))")
        for letter in run.deadLetters {
            let partition = Int(letter.partition)
            let offset = Int(letter.offset)
            guard input.values.indices.contains(partition), input.values[partition].indices.contains(offset) else {
                Issue.record("\(seed): dead letter at \(partition)/\(offset), which was never produced")
                continue
            }
            if letter.raw != input.values[partition][offset] {
                Issue.record("\(seed): raw bytes of \(partition)/\(offset)")
            }
        }
        let malformed = reference.deadLetters.filter { $0.tag != "late" }.count
        #expect(malformed > 100, "\(seed): the stream should hold malformed lines")
        #expect(reference.deadLetters.count > malformed, "\(seed): the schedule should make some rows late")
    }

    /// The first windows as the file sink would write them (`SPATE_CLICKSTREAM_SAMPLE=1`), for the README.
    static func printSample(_ run: ClickstreamRun, plan: JobPlan) {
        let rows = run.emitted.prefix(6).map(\.row)
        let batch = RecordBatch(
            schema: plan.outputSchema,
            columns: plan.outputSchema.fields.indices.map { index in
                Column(plan.outputSchema.fields[index].type, values: rows.map { $0[index] })
            })
        print(String(decoding: JSONLinesEncoder.encode(batch), as: UTF8.self))
    }
}
