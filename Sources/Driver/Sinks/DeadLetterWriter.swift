import Broker
import Query

/// Writes a batch's dead letters to the job's dead-letter topic `<job>.dlq`, exactly once across
/// replays: the value is the raw record, headers say why (`reason`) and where it came from
/// (`topic`, `partition`, `offset`), plus the dedup headers `spate.job`, `spate.batch`,
/// `spate.seq`. A letter goes to partition `source partition % partitions`.
public struct DeadLetterWriter: Sendable {
    let writer: IdempotentTopicWriter
    let sourceTopic: String

    /// A writer for job `jobId`, whose source is `sourceTopic`.
    public init(broker: any DriverBroker, jobId: String, sourceTopic: String, tailRecordsMax: Int = 1000) {
        writer = IdempotentTopicWriter(
            broker: broker, topic: Self.topic(jobId: jobId), jobId: jobId, tailRecordsMax: tailRecordsMax)
        self.sourceTopic = sourceTopic
    }

    /// The dead-letter topic of a job.
    public static func topic(jobId: String) -> String { "\(jobId).dlq" }

    /// Writes batch `batchId`'s letters (in map-partition order, then offset order).
    public func write(batchId: Int64, letters: [DeadLetter]) throws(DriverBrokerError) {
        guard !letters.isEmpty else {
            try writer.write(batchId: batchId, records: [])
            return
        }
        let partitions = try writer.broker.partitionCount(topic: writer.topic)
        guard partitions > 0 else { throw DriverBrokerError("topic '\(writer.topic)' has no partitions") }
        let records = letters.enumerated().map { index, letter in
            let seq = Int64(index)
            let headers =
                [
                    RecordHeader("reason", Array(letter.reason.description.utf8)),
                    RecordHeader("topic", Array(sourceTopic.utf8)),
                    RecordHeader("partition", Array(String(letter.partition).utf8)),
                    RecordHeader("offset", Array(String(letter.offset).utf8)),
                ] + IdempotentTopicWriter.headers(jobId: writer.jobId, batchId: batchId, seq: seq)
            return SequencedRecord(
                partition: Int32(Int64(letter.partition).magnitude % UInt64(partitions)), seq: seq,
                record: OutgoingRecord(key: nil, value: letter.raw, headers: headers))
        }
        try writer.write(batchId: batchId, records: records)
    }
}
