import Broker
import Query

/// Rows as JSON records in a topic, exactly once across replays (see `IdempotentTopicWriter`).
/// With a key column, a row's key is that column's text and its partition Kafka's default for the
/// key (murmur2), so consumers see a key's rows in order; without one, row `seq` of a batch goes to
/// partition `seq % partitions`. Both are fixed by the batch's rows, so a replay places them alike.
public struct TopicSink: BatchSink {
    let writer: IdempotentTopicWriter
    let keyColumn: Int?

    public var description: String { "topic \(writer.topic)" }

    public func write(batchId: Int64, rows: [RecordBatch]) throws(SinkError) {
        let total = rows.reduce(0) { $0 + $1.rowCount }
        do throws(DriverBrokerError) {
            guard total > 0 else {
                try writer.write(batchId: batchId, records: [])
                return
            }
            let partitions = try writer.broker.partitionCount(topic: writer.topic)
            guard partitions > 0 else { throw DriverBrokerError("topic '\(writer.topic)' has no partitions") }
            var records: [SequencedRecord] = []
            records.reserveCapacity(total)
            for batch in rows {
                for row in 0..<batch.rowCount {
                    let seq = Int64(records.count)
                    var value: [UInt8] = []
                    JSONLinesEncoder.appendRow(row, of: batch, to: &value)
                    let key = keyColumn.flatMap { KeyText.bytes(batch.columns[$0], row) }
                    let partition =
                        key.map { Murmur2.partition(forKey: $0, partitionCount: Int(partitions)) }
                        ?? Int32(seq % Int64(partitions))
                    let headers = IdempotentTopicWriter.headers(jobId: writer.jobId, batchId: batchId, seq: seq)
                    records.append(
                        SequencedRecord(
                            partition: partition, seq: seq,
                            record: OutgoingRecord(key: key, value: value, headers: headers)))
                }
            }
            try writer.write(batchId: batchId, records: records)
        } catch {
            throw SinkError("topic sink \(writer.topic): \(error)")
        }
    }
}

/// A value as record-key text: decimals, `true`/`false`, ISO-8601 UTC timestamps, strings as they are.
enum KeyText {
    /// The key bytes of `column` at `row`; nil for NULL.
    static func bytes(_ column: Column, _ row: Int) -> [UInt8]? {
        switch column.value(at: row) {
        case .null: return nil
        case .bool(let value): return Array((value ? "true" : "false").utf8)
        case .int64(let value): return Array(String(value).utf8)
        case .double(let value): return Array(value.description.utf8)
        case .string(let value): return Array(value.utf8)
        case .timestamp(let ms):
            var bytes: [UInt8] = []
            TimestampCodec.appendISO8601(epochMs: ms, to: &bytes)
            return bytes
        }
    }
}
