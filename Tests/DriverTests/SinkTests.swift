import Broker
import Foundation
import Query
import Synchronization
import Testing

@testable import Driver

/// Sinks write each batch exactly once, however often a batch is replayed and wherever a replay's
/// predecessor stopped.
@Suite(.dedicatedThread) struct SinkTests {
    static let schema = Schema([Field("window_start", .timestamp), Field("user", .string), Field("pv", .int64)])

    static func rows(_ values: [(Int64, String, Int64)]) -> RecordBatch {
        RecordBatch(
            schema: schema,
            columns: [
                Column(.timestamp, values: values.map { .timestamp($0.0) }),
                Column(.string, values: values.map { .string($0.1) }),
                Column(.int64, values: values.map { .int64($0.2) }),
            ])
    }

    static let batch = [rows([(10_000, "ann", 3), (10_000, "bob", 1)]), rows([(20_000, "cy, \"d\"", 7)])]

    @Test func fileSinkWritesOneFilePerBatchAndListsItOnce() throws {
        try withTemporaryDirectory { root in
            let sink = FileSink(directory: "\(root)/out/pv", format: .jsonl)
            try sink.write(batchId: 3, rows: Self.batch)
            let path = "\(root)/out/pv/batch-3.jsonl"
            let first = try fileBytes(path)
            let expected = """
                {"window_start":"1970-01-01T00:00:10.000Z","user":"ann","pv":3}
                {"window_start":"1970-01-01T00:00:10.000Z","user":"bob","pv":1}
                {"window_start":"1970-01-01T00:00:20.000Z","user":"cy, \\"d\\"","pv":7}

                """
            #expect(String(decoding: first, as: UTF8.self) == expected)
            // Replaying the batch (a fresh sink, as after a driver restart) changes nothing.
            let again = FileSink(directory: "\(root)/out/pv", format: .jsonl)
            try again.write(batchId: 3, rows: Self.batch)
            #expect(try fileBytes(path) == first)
            try again.write(batchId: 4, rows: [Self.rows([])])
            try again.write(batchId: 5, rows: [Self.rows([(30_000, "x", 1)])])
            let manifest = String(decoding: try fileBytes("\(root)/out/pv/_spate_manifest"), as: UTF8.self)
            #expect(manifest == "spate-manifest v1\nbatch-3.jsonl\nbatch-5.jsonl\n")
            #expect(!FileManager.default.fileExists(atPath: "\(root)/out/pv/batch-4.jsonl"))
            #expect(
                try FileSink(directory: "\(root)/out/pv", format: .jsonl).manifestEntries() == [
                    "batch-3.jsonl", "batch-5.jsonl",
                ])
        }
    }

    @Test func fileSinkWritesCSVWithOneHeader() throws {
        try withTemporaryDirectory { root in
            let sink = FileSink(directory: root, format: .csv)
            try sink.write(batchId: 0, rows: Self.batch)
            let text = String(decoding: try fileBytes("\(root)/batch-0.csv"), as: UTF8.self)
            #expect(
                text
                    == "window_start,user,pv\n1970-01-01T00:00:10.000Z,ann,3\n1970-01-01T00:00:10.000Z,bob,1\n"
                    + "1970-01-01T00:00:20.000Z,\"cy, \"\"d\"\"\",7\n")
        }
    }

    @Test func fileSinkRefusesAForeignManifest() throws {
        try withTemporaryDirectory { root in
            try writeBytes("\(root)/_spate_manifest", Array("something else\n".utf8))
            #expect(throws: SinkError.self) {
                try FileSink(directory: root, format: .jsonl).write(batchId: 0, rows: Self.batch)
            }
        }
    }

    @Test func consoleSinkPrintsATablePerBatchWithRows() throws {
        let printed = Mutex<[String]>([])
        let sink = ConsoleSink(jobId: "pv") { text in printed.withLock { $0.append(text) } }
        try sink.write(batchId: 2, rows: [Self.rows([])])
        try sink.write(batchId: 3, rows: Self.batch)
        let output = printed.withLock { $0 }
        #expect(output.count == 1)
        #expect(output.first?.contains("Batch: 3 (job pv)") == true)
        #expect(output.first?.contains("|cy, \"d\"") == true)
        #expect(output.first?.contains("bob") == true)
    }

    static func topicSink(_ broker: FakeBroker, keyColumn: Int? = nil) -> TopicSink {
        TopicSink(
            writer: IdempotentTopicWriter(broker: broker, topic: "out", jobId: "pv", tailRecordsMax: 100),
            keyColumn: keyColumn)
    }

    /// (batch, seq) of every record in the topic, sorted.
    static func written(_ broker: FakeBroker, _ topic: String) -> [[Int64]] {
        broker.allRecords(topic).compactMap { record in
            guard let batch = record.header("spate.batch").flatMap({ Int64($0) }),
                let seq = record.header("spate.seq").flatMap({ Int64($0) })
            else { return nil }
            return [batch, seq]
        }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test func topicSinkReplayWritesNothingTwice() throws {
        let broker = FakeBroker(defaultPartitions: 2)
        let sink = Self.topicSink(broker)
        try sink.write(batchId: 0, rows: Self.batch)
        try sink.write(batchId: 0, rows: Self.batch)
        #expect(Self.written(broker, "out") == [[0, 0], [0, 1], [0, 2]])
        // Without a key, row seq goes to partition seq % 2.
        #expect(broker.records("out", partition: 0).map { $0.header("spate.seq") } == ["0", "2"])
        let value = try #require(broker.records("out", partition: 1).first?.value)
        #expect(
            String(decoding: value, as: UTF8.self)
                == #"{"window_start":"1970-01-01T00:00:10.000Z","user":"bob","pv":1}"#)
        try sink.write(batchId: 1, rows: [Self.rows([(1, "z", 1)])])
        try sink.write(batchId: 0, rows: Self.batch)
        #expect(Self.written(broker, "out") == [[0, 0], [0, 1], [0, 2], [1, 0]])
    }

    @Test func topicSinkResumesAHalfWrittenBatch() throws {
        let broker = FakeBroker(defaultPartitions: 1)
        let sink = Self.topicSink(broker)
        let many = [Self.rows((0..<10).map { (Int64($0), "u\($0)", Int64($0)) })]
        broker.failProduce(after: 4)
        #expect(throws: SinkError.self) { try sink.write(batchId: 7, rows: many) }
        #expect(broker.records("out", partition: 0).count == 4)
        try sink.write(batchId: 7, rows: many)
        #expect(Self.written(broker, "out") == (0..<10).map { [7, Int64($0)] })
        #expect(broker.records("out", partition: 0).map { $0.header("spate.seq") } == (0..<10).map { "\($0)" })
    }

    @Test func topicSinkIgnoresOtherJobsRecordsInTheTail() throws {
        let broker = FakeBroker(defaultPartitions: 1)
        try Self.topicSink(broker).write(batchId: 0, rows: Self.batch)
        // Another job writes batch 0 too: its records must not make ours look written.
        let other = TopicSink(
            writer: IdempotentTopicWriter(broker: broker, topic: "out", jobId: "other", tailRecordsMax: 100),
            keyColumn: nil)
        try other.write(batchId: 5, rows: Self.batch)
        try Self.topicSink(broker).write(batchId: 1, rows: Self.batch)
        let ours = broker.allRecords("out").filter { $0.header("spate.job") == "pv" }
        #expect(ours.count == 6)
        #expect(broker.allRecords("out").count == 9)
    }

    @Test func keyedRowsGoToTheKeysPartition() throws {
        let broker = FakeBroker(defaultPartitions: 4)
        try Self.topicSink(broker, keyColumn: 1).write(batchId: 0, rows: Self.batch)
        for partition in 0..<4 {
            for record in broker.records("out", partition: partition) {
                let key = try #require(record.key)
                #expect(Murmur2.partition(forKey: key, partitionCount: 4) == Int32(partition))
            }
        }
        #expect(
            broker.allRecords("out").compactMap(\.key).map { String(decoding: $0, as: UTF8.self) }.sorted() == [
                "ann", "bob", "cy, \"d\"",
            ])
    }

    @Test func deadLettersCarryTheirOriginAndAreWrittenOnce() throws {
        let broker = FakeBroker(defaultPartitions: 2)
        let writer = DeadLetterWriter(broker: broker, jobId: "pv", sourceTopic: "clicks")
        let letters = [
            DeadLetter(
                partition: 3, offset: 17, reason: .malformed("expected '}' at byte 4"), raw: Array("{\"a\"".utf8)),
            DeadLetter(partition: 0, offset: 2, reason: .late(eventTimeMs: 5, watermarkMs: 9), raw: [1, 2]),
        ]
        broker.failProduce(after: 0)
        #expect(throws: DriverBrokerError.self) { try writer.write(batchId: 4, letters: letters) }
        try writer.write(batchId: 4, letters: letters)
        try writer.write(batchId: 4, letters: letters)
        let written = broker.allRecords("pv.dlq")
        #expect(written.count == 2)
        let malformed = try #require(broker.records("pv.dlq", partition: 1).first)
        #expect(malformed.value == Array("{\"a\"".utf8))
        #expect(malformed.header("reason") == "malformed: expected '}' at byte 4")
        #expect(malformed.header("topic") == "clicks" && malformed.header("partition") == "3")
        #expect(malformed.header("offset") == "17" && malformed.header("spate.batch") == "4")
        #expect(broker.records("pv.dlq", partition: 0).first?.header("reason")?.hasPrefix("late:") == true)
    }
}
