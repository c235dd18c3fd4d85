import Query
import Testing

@testable import Executor

/// Map and reduce tasks launched by a driver over RPC, reading generated clicks from a live broker.
@Suite struct MapReduceTests {
    /// The columns pv_uv decodes, which decide which defects are dead letters.
    static let decodedColumns: Set<String> = ["ts", "ip", "user_id", "status"]

    /// Three batches (the second with late rows, the third a no-data batch whose watermark closes
    /// every window): the rows equal aggregates computed from the generator's ground truth, and
    /// the dead letters are exactly the malformed lines plus the late rows.
    @Test func pvUVRowsAndDeadLettersMatchGroundTruth() async throws {
        let data = ClickData(count: 6_000, seed: 21, maxLagMs: 8_000)
        try await withCluster(executors: 1, data: data) { cluster, ids in
            let runner = try BatchRunner(driver: cluster.driver)
            let everywhere = { (_: Int32) in ids[0] }
            let first = Dictionary(uniqueKeysWithValues: (0..<data.partitions).map { ($0, 0..<data.end($0) / 2) })
            let second = Dictionary(
                uniqueKeysWithValues: (0..<data.partitions).map { ($0, data.end($0) / 2..<data.end($0)) })
            let empty = Dictionary(
                uniqueKeysWithValues: (0..<data.partitions).map { ($0, data.end($0)..<data.end($0)) })

            var batch0 = try await runner.map(batch: 0, ranges: first, watermarkMs: nil, mapOn: everywhere)
            try await runner.reduce(&batch0, batch: 0, stateVersion: nil, watermarkMs: nil, reduceOn: everywhere)
            let watermark1 = try #require(batch0.maxEventTimeMs) - 5_000
            var batch1 = try await runner.map(batch: 1, ranges: second, watermarkMs: watermark1, mapOn: everywhere)
            try await runner.reduce(&batch1, batch: 1, stateVersion: 0, watermarkMs: watermark1, reduceOn: everywhere)
            let watermark2 = try #require(batch1.maxEventTimeMs) + 60_000
            var batch2 = try await runner.map(batch: 2, ranges: empty, watermarkMs: watermark2, mapOn: everywhere)
            try await runner.reduce(&batch2, batch: 2, stateVersion: 1, watermarkMs: watermark2, reduceOn: everywhere)

            let counted = data.counted(first, watermarkMs: nil) + data.counted(second, watermarkMs: watermark1)
            let rows = try batch0.rows + batch1.rows + batch2.rows
            #expect(rows.sorted() == WindowRow.expected(counted))
            #expect(rows.count > 5, "the clicks span several windows")

            let late = data.late(second, watermarkMs: watermark1)
            #expect(!late.isEmpty, "a lag beyond the watermark delay makes some rows late")
            let letters = batch0.deadLetters + batch1.deadLetters + batch2.deadLetters
            let positions = letters.map { Position($0.partition, $0.offset) }
            #expect(positions.sorted() == (data.malformed(first) + data.malformed(second) + late).sorted())
            for letter in letters {
                let position = Position(letter.partition, letter.offset)
                #expect(letter.raw == data.value(at: position), "raw bytes of \(position)")
                let truth = data.truths[Int(letter.partition)][Int(letter.offset)]
                let tag = truth.defect?.deadLetterTag(decodedColumns: Self.decodedColumns, tsIsEventTime: true)
                #expect(letter.reason.tag == (tag ?? "late"), "reason of \(position)")
            }
            let reports = [batch0, batch1, batch2].flatMap { $0.mapReports.values }
            #expect(reports.reduce(0) { $0 + $1.inputRecords } == Int64(data.values.count))
            #expect(reports.reduce(0) { $0 + $1.inputBytes } == Int64(data.values.reduce(0) { $0 + $1.count }))
            #expect(batch1.mapReports.values.reduce(0) { $0 + $1.lateRows } == Int64(late.count))
        }
    }

    /// A stateless job's map task answers with the projected rows, in offset order.
    @Test func statelessJobReturnsRowsFromTheMapTask() async throws {
        let data = ClickData(count: 900, seed: 5)
        try await withCluster(executors: 1, data: data) { cluster, ids in
            let sql = """
                CREATE STREAM clicks (ts TIMESTAMP, user_id STRING, status INT)
                  WITH (topic = 'website-logs', format = 'json', event_time = 'ts');
                CREATE SINK errors WITH (type = 'console');
                INSERT INTO errors SELECT user_id, status FROM clicks WHERE status >= 400;
                """
            let factory = TaskFactory(jobId: "errors", sql: sql)
            let task = factory.map(batch: 0, partition: 1, start: 0, end: data.end(1), watermarkMs: nil)
            let report = try await cluster.driver.launch(task, on: ids[0]).outcome.mapReport()
            let rows = try #require(report.rows).rows
            let expected = data.truths[1].filter { $0.defect == nil && $0.click.status >= 400 }.map {
                [Value.string($0.click.userId), .int64($0.click.status)]
            }
            #expect(rows == expected)
            #expect(!expected.isEmpty)
        }
    }
}
