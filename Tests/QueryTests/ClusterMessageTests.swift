import Testing
import Wire

@testable import Query

@Suite struct ClusterMessageTests {
    static let rows = RecordBatch(
        schema: Schema([Field("window_start", .timestamp), Field("pv", .int64)]),
        columns: [
            Column(.timestamp, values: [.timestamp(10_000), .null]), Column(.int64, values: [.int64(3), .int64(4)]),
        ])

    static let letters = [
        DeadLetter(partition: 1, offset: 7, reason: .malformed("expected '}' at byte 9"), raw: Array("{\"a\":".utf8)),
        DeadLetter(partition: 0, offset: 8, reason: .late(eventTimeMs: 5, watermarkMs: 9), raw: [0xFF]),
        DeadLetter(partition: 2, offset: 9, reason: .badValue(column: "status", detail: "not an integer"), raw: []),
        DeadLetter(partition: 2, offset: 10, reason: .invalidUTF8, raw: [0xC3]),
        DeadLetter(partition: 2, offset: 11, reason: .missingEventTime, raw: [1]),
        DeadLetter(partition: 2, offset: 12, reason: .badEventTime("yesterday"), raw: [2]),
        DeadLetter(partition: 2, offset: 13, reason: .nullValue, raw: []),
    ]

    static let mapTask = TaskDescription(
        attemptId: 42, jobId: "pv_uv", jobSQL: "SELECT 1 -- é", batchId: 3, stage: 0, partition: 2, attempt: 1,
        watermarkMs: 1_000, work: .map(topic: "website-logs", sourcePartition: 2, startOffset: 10, endOffset: 20))

    static let reduceTask = TaskDescription(
        attemptId: 43, jobId: "pv_uv", jobSQL: "x", batchId: 3, stage: 1, partition: 0, attempt: 0, watermarkMs: nil,
        work: .reduce(
            mapOutputs: [
                ShuffleBlockSource(mapPartition: 0, mapAttemptId: 40, executorId: "e1", host: "127.0.0.1", port: 7000),
                ShuffleBlockSource(mapPartition: 1, mapAttemptId: 41, executorId: "e2", host: "::1", port: 7001),
            ], stateVersion: 2, snapshotWanted: true))

    static let results = [
        TaskResult(
            attemptId: 42,
            outcome: .map(
                MapTaskReport(
                    inputRecords: 10, inputBytes: 2_000, lateRows: 1, minEventTimeMs: 3, maxEventTimeMs: 9,
                    deadLetters: letters, rows: rows))),
        TaskResult(
            attemptId: 43,
            outcome: .reduce(
                ReduceTaskReport(
                    rows: rows, stateDelta: [1, 2, 3], stateSnapshot: nil, stateRowsTotal: 5, stateRowsUpdated: 2,
                    stateRowsEvicted: 1, stateMemoryBytes: 4_096))),
        TaskResult(
            attemptId: 44,
            outcome: .failed(
                "could not fetch",
                fetchFailure: ShuffleFetchFailure(stage: 0, mapPartition: 1, mapAttemptId: 41, executorId: "e2"))
        ),
        TaskResult(attemptId: 45, outcome: .failed("boom", fetchFailure: nil)),
    ]

    /// Every message, encoded, with a check that decoding gives it back.
    static func samples() -> [(name: String, bytes: [UInt8], decodesBack: ([UInt8]) throws -> Bool)] {
        func sample<M: ClusterMessage>(_ message: M) -> (String, [UInt8], ([UInt8]) throws -> Bool) {
            ("\(M.self)", message.encoded(), { try M.decode($0) == message })
        }
        return [
            sample(
                RegisterExecutor(name: "host-1 pid 7", slots: 2, shuffleHost: "10.0.0.2", shufflePort: 7078, pid: 7)),
            sample(ExecutorRegistered(executorId: "exec-3", heartbeatIntervalMs: 1_000, brokerAddress: "b:9092")),
            sample(ExecutorHeartbeat(executorId: "exec-3", runningAttemptIds: [1, 99])),
            sample(ExecutorLeaving(executorId: "exec-3")), sample(CancelTask(attemptId: 5)),
            sample(ReleaseShuffle(jobId: "j", batchId: 9)), sample(mapTask), sample(reduceTask),
            sample(results[0]), sample(results[1]), sample(results[2]), sample(results[3]),
            sample(ShuffleBlockRequest(jobId: "j", batchId: 1, stage: 0, mapPartition: 2, reducePartition: 3)),
            sample(StateRequest(jobId: "j", partition: 1, version: 4)),
            sample(
                StateVersions(
                    snapshot: VersionedBytes(version: 2, bytes: [9]),
                    deltas: [VersionedBytes(version: 3, bytes: []), VersionedBytes(version: 4, bytes: [1, 2])])),
            sample(StateVersions(snapshot: nil, deltas: [])),
            sample(SubmitJob(name: nil, sql: "CREATE STREAM ...", fileName: "pv_uv.sql")),
            sample(SubmitJob(name: "clicks", sql: "", fileName: "-")), sample(JobSubmitted(jobId: "pv_uv")),
            sample(JobRequest(jobId: "pv_uv")), sample(AuthChallenge(nonce: [UInt8](repeating: 7, count: 32))),
            sample(AuthProof(mac: [1, 2, 3])),
        ]
    }

    @Test func everyMessageRoundTrips() throws {
        for sample in Self.samples() {
            #expect(try sample.decodesBack(sample.bytes), "\(sample.name) did not round-trip")
        }
    }

    @Test func everyTruncationOfEveryMessageIsATypedError() {
        for sample in Self.samples() {
            for cut in 0..<sample.bytes.count {
                #expect(throws: DecodeError.self, "\(sample.name) cut at \(cut)") {
                    _ = try sample.decodesBack(Array(sample.bytes[0..<cut]))
                }
            }
        }
    }

    @Test func trailingBytesAreRefused() {
        for sample in Self.samples() {
            #expect(throws: DecodeError.self, "\(sample.name)") { _ = try sample.decodesBack(sample.bytes + [0]) }
        }
    }

    @Test func mutatedMessagesNeverTrap() {
        var random = QueryTestRandom(seed: 11)
        for sample in Self.samples() where !sample.bytes.isEmpty {
            for _ in 0..<300 {
                var bytes = sample.bytes
                let index = Int(random.next() % UInt64(bytes.count))
                bytes[index] = UInt8(truncatingIfNeeded: random.next())
                _ = try? sample.decodesBack(bytes)
            }
        }
    }
}
