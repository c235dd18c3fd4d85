import Synchronization

/// What appending one Produce partition's records came to.
enum PartitionAppendOutcome: Equatable, Sendable {
    /// Stored: the offsets assigned and how many records the batches held.
    case appended(LogAppendResult, recordCount: Int64)
    /// An idempotent retry of batches already stored: their original first offset, nothing appended.
    case duplicate(baseOffset: Int64, logStartOffset: Int64)
    /// Refused with this code and message.
    case rejected(KafkaErrorCode, String)
}

/// One partition the broker hosts: its log plus the idempotent-producer state that guards appends.
final class BrokerPartition: Sendable {
    let topic: String
    let index: Int32
    let log: PartitionLog
    /// Guards the check-append-record sequence of idempotent batches, so two requests of one
    /// producer cannot both pass the sequence check; plain batches never take it.
    private let producers: Mutex<ProducerStateTable>

    /// Opens the partition's log and rebuilds producer state from its last `producerScanBytes` bytes.
    init(topic: String, index: Int32, dataDirectory: String, config: LogConfig, producerScanBytes: Int64)
        throws(TopicStoreError)
    {
        self.topic = topic
        self.index = index
        let directory = dataDirectory + "/" + PartitionLog.directoryName(topic: topic, partition: index)
        do throws(LogError) {
            log = try PartitionLog(directory: directory, config: config)
            var table = ProducerStateTable()
            try log.forEachTailBatchHeader(lastBytes: producerScanBytes) { header in
                table.record(header, firstOffset: header.baseOffset)
            }
            producers = Mutex(table)
        } catch {
            throw .log(topic: topic, partition: index, error)
        }
    }

    /// The largest producer id this partition's tail remembers, -1 if none.
    var producerIdMax: Int64 { producers.withLock { $0.producerIdMax } }

    /// Appends one Produce partition's `records`, enforcing idempotent-producer sequences.
    func append(_ records: [UInt8]) -> PartitionAppendOutcome {
        let batches: [RecordBatchRange]
        do {
            // Headers only here; the log checks every CRC as it appends.
            batches = try RecordBatchSplitter.split(records, verifyCRC: false, batchBytesMax: log.config.batchBytesMax)
        } catch {
            return .rejected(error.kafkaErrorCode, error.description)
        }
        guard batches.contains(where: { $0.header.producerId >= 0 }) else { return appendToLog(records) }
        return producers.withLock { table in
            switch Self.verdict(batches, table) {
            case .reject(let code, let message):
                return .rejected(code, message)
            case .duplicate(let original):
                return .duplicate(baseOffset: original.firstOffset, logStartOffset: log.logStartOffset)
            case .append:
                let outcome = appendToLog(records)
                if case .appended(let result, _) = outcome {
                    var offset = result.baseOffset
                    for batch in batches {
                        table.record(batch.header, firstOffset: offset)
                        offset += Int64(batch.header.lastOffsetDelta) + 1
                    }
                }
                return outcome
            }
        }
    }

    /// One verdict for all batches of a request: every batch must be next in line, or every batch
    /// an exact retry (answered with the first one's original offsets).
    private static func verdict(_ batches: [RecordBatchRange], _ table: ProducerStateTable)
        -> ProducerStateTable.Verdict
    {
        // One batch per partition is what clients send; only several need a scratch copy to check against.
        if batches.count == 1 { return table.verdict(batches[0].header) }
        var scratch = table
        var duplicates: [ProducerStateTable.BatchMetadata] = []
        for batch in batches {
            switch scratch.verdict(batch.header) {
            case .reject(let code, let message):
                return .reject(code, message)
            case .duplicate(let original):
                duplicates.append(original)
            case .append:
                // Later batches of the same request are checked against this one.
                scratch.record(batch.header, firstOffset: 0)
            }
        }
        if duplicates.isEmpty { return .append }
        guard duplicates.count == batches.count, let first = duplicates.first else {
            return .reject(.duplicateSequenceNumber, "a request mixed retried batches with new ones")
        }
        return .duplicate(first)
    }

    private func appendToLog(_ records: [UInt8]) -> PartitionAppendOutcome {
        do {
            let result = try log.append(records)
            return .appended(result, recordCount: result.lastOffset - result.baseOffset + 1)
        } catch {
            return .rejected(error.kafkaErrorCode, error.description)
        }
    }
}
