import Foundation
import Testing

@testable import Driver

/// Progress records as JSON (Spark's field names), the status board's ring of the last 100, and
/// the CLI's text rendering of the driver's JSON.
@Suite struct ProgressTests {
    static func record(batchId: Int64 = 7, latest: [Int32: Int64]? = [0: 130, 1: 50], stateful: Bool = true)
        -> ProgressRecord
    {
        ProgressRecord(
            jobId: "pv_uv", batchId: batchId, timestampMs: 1_795_996_800_000, numInputRows: 120,
            inputRowsPerSecond: 240, processedRowsPerSecond: 1200.5,
            durations: BatchDurations(latestOffsetMs: 2, walCommitMs: 3, planningMs: 0, executionMs: 80, commitMs: 15),
            eventTime: EventTimeProgress(
                minMs: 1_795_996_790_000, maxMs: 1_795_996_799_500, watermarkMs: 1_795_996_785_000),
            stateOperator: stateful
                ? StateOperatorProgress(
                    rowsTotal: 40, rowsUpdated: 12, rowsDroppedByWatermark: 3, rowsRemoved: 5, memoryBytes: 4096,
                    partitions: 4) : nil,
            source: SourceProgress(
                topic: "website-logs",
                ranges: [
                    SourceRange(partition: 0, start: 10, end: 100), SourceRange(partition: 1, start: 20, end: 50),
                ],
                latest: latest),
            sink: SinkProgress(description: "file out/pv_uv (jsonl)", rowsWritten: 9), deadLetters: 2)
    }

    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func progressRendersSparksFields() throws {
        let json = try Self.object(Self.record().json())
        #expect(json["id"] as? String == "pv_uv" && json["batchId"] as? Int == 7)
        #expect(json["timestamp"] as? String == "2026-11-30T00:00:00.000Z")
        #expect(json["numInputRows"] as? Int == 120)
        #expect(json["inputRowsPerSecond"] as? Double == 240 && json["processedRowsPerSecond"] as? Double == 1200.5)
        let durations = try #require(json["durationMs"] as? [String: Int])
        #expect(
            durations == [
                "latestOffset": 2, "walCommit": 3, "planning": 0, "execution": 80, "commit": 15,
                "triggerExecution": 100,
            ])
        let eventTime = try #require(json["eventTime"] as? [String: Any])
        #expect(eventTime["min"] as? String == "2026-11-29T23:59:50.000Z")
        #expect(eventTime["max"] as? String == "2026-11-29T23:59:59.500Z")
        #expect(eventTime["watermark"] as? String == "2026-11-29T23:59:45.000Z")
        let state = try #require((json["stateOperators"] as? [[String: Int]])?.first)
        #expect(state["numRowsTotal"] == 40 && state["numRowsUpdated"] == 12 && state["numRowsDroppedByWatermark"] == 3)
        #expect(state["numRowsRemoved"] == 5 && state["memoryUsedBytes"] == 4096 && state["numPartitions"] == 4)
        let source = try #require((json["sources"] as? [[String: Any]])?.first)
        #expect(source["startOffset"] as? [String: [String: Int]] == ["website-logs": ["0": 10, "1": 20]])
        #expect(source["endOffset"] as? [String: [String: Int]] == ["website-logs": ["0": 100, "1": 50]])
        #expect(source["latestOffset"] as? [String: [String: Int]] == ["website-logs": ["0": 130, "1": 50]])
        #expect(source["lag"] as? Int == 30 && source["numInputRows"] as? Int == 120)
        let sink = try #require(json["sink"] as? [String: Any])
        #expect(sink["description"] as? String == "file out/pv_uv (jsonl)" && sink["numOutputRows"] as? Int == 9)
        #expect(json["numDeadLetters"] as? Int == 2)
    }

    @Test func aReplayedStatelessBatchHasNoLagAndNoStateOperator() throws {
        let json = try Self.object(Self.record(latest: nil, stateful: false).json())
        #expect((json["stateOperators"] as? [Any])?.isEmpty == true)
        let source = try #require((json["sources"] as? [[String: Any]])?.first)
        #expect(source["latestOffset"] is NSNull && source["lag"] is NSNull)
    }

    @Test func theStatusBoardKeepsTheLastHundredRecords() {
        let board = JobStatusBoard(JobSnapshot(jobId: "pv_uv", state: .running, createdAtMs: 0))
        for batchId in Int64(0)..<130 { board.committed(Self.record(batchId: batchId), nextWatermarkMs: batchId) }
        let snapshot = board.current
        #expect(snapshot.recentProgress.map(\.batchId) == Array(30..<130))
        #expect(snapshot.batchesCommitted == 130 && snapshot.inputRows == 130 * 120)
        #expect(snapshot.lastCommittedBatchId == 129 && snapshot.watermarkMs == 129)
    }

    @Test func theCLIShowsAJobsStateRatesWatermarkAndLag() {
        var snapshot = JobSnapshot(jobId: "pv_uv", state: .running, createdAtMs: 0)
        snapshot.lastCommittedBatchId = 7
        snapshot.batchesCommitted = 8
        snapshot.watermarkMs = 1_795_996_785_000
        snapshot.recentProgress = [Self.record()]
        let entry = DriverService.JobEntry(jobId: "pv_uv", sql: "", explain: "", runner: nil, resting: snapshot)
        let text = JobText.status(DriverJSON.job(entry, executors: []))
        #expect(
            text == """
                job pv_uv: running
                  batches: 8 committed by this driver, last committed: batch 7
                  last batch: 120 rows in 100 ms, 240.0 rows/s in, 1200.5 rows/s processed
                  lag: 30 records
                  watermark: 2026-11-29T23:59:45.000Z
                  rows: 0 in, 0 out, 0 dead letters
                  executors: 0
                """)
        let list = JobText.list(DriverJSON.jobList([snapshot]))
        #expect(
            list == """
                JOB    STATE    BATCH  IN ROWS/S  WATERMARK
                pv_uv  running  7      240.0      2026-11-29T23:59:45.000Z
                """)
        #expect(JobText.list(DriverJSON.jobList([])) == "no jobs")
    }
}
