import Broker
import Synchronization

/// One record for a topic with its place in the batch: the partition it goes to and its sequence
/// number, both fixed by the batch's content so a replay assigns them identically.
struct SequencedRecord: Sendable, Equatable {
    var partition: Int32
    var seq: Int64
    var record: OutgoingRecord
}

/// Appends a batch's records to a topic exactly once across replays. Every record carries
/// `spate.job`, `spate.batch` and `spate.seq` headers; before writing batch N to a partition the
/// writer reads the partition's tail, finds the newest record of this job, and skips every record
/// of N up to that one's sequence number. The producer is idempotent and keeps order per partition,
/// so what reached a partition is always a prefix of what was sent there.
///
/// Reading tails costs a round trip per partition, so it is done only when it can matter: once
/// this process has written batch N-1 completely, nothing of batch N can be in the topic yet (a
/// predecessor that wrote part of N had committed N-1, so N-1 would not have been replayed here).
///
/// Limit: the job's newest record must be among the last `tailRecordsMax` of the partition; if
/// other writers appended more than that between a crash and the replay, records may repeat.
struct IdempotentTopicWriter: Sendable {
    static let jobHeader = "spate.job"
    static let batchHeader = "spate.batch"
    static let seqHeader = "spate.seq"

    let broker: any DriverBroker
    let topic: String
    let jobId: String
    let tailRecordsMax: Int
    /// The last batch this process wrote completely; nil while a write is under way or failed.
    let lastComplete = CompletedBatch()

    /// The dedup headers of record `seq` of batch `batchId`.
    static func headers(jobId: String, batchId: Int64, seq: Int64) -> [RecordHeader] {
        [
            RecordHeader(jobHeader, Array(jobId.utf8)), RecordHeader(batchHeader, Array(String(batchId).utf8)),
            RecordHeader(seqHeader, Array(String(seq).utf8)),
        ]
    }

    /// Writes what of `records` (all of batch `batchId`) is not in the topic yet; returns how many
    /// records it produced.
    @discardableResult
    func write(batchId: Int64, records: [SequencedRecord]) throws(DriverBrokerError) -> Int {
        let afterOwnBatch = lastComplete.take() == batchId - 1
        var byPartition: [Int32: [SequencedRecord]] = [:]
        for record in records { byPartition[record.partition, default: []].append(record) }
        var produced = 0
        for partition in byPartition.keys.sorted() {
            let pending = byPartition[partition] ?? []
            let writtenThrough = afterOwnBatch ? nil : try lastWrittenSeq(batchId: batchId, partition: partition)
            let missing = pending.filter { record in writtenThrough.map { record.seq > $0 } ?? true }.map(\.record)
            try broker.produce(topic: topic, partition: partition, records: missing)
            produced += missing.count
        }
        lastComplete.set(batchId)
        return produced
    }

    /// The sequence number of the newest record of batch `batchId` already in the partition; nil
    /// when none is. A newer batch of this job in the partition means all of this one is there.
    private func lastWrittenSeq(batchId: Int64, partition: Int32) throws(DriverBrokerError) -> Int64? {
        let tail = try broker.tailHeaders(topic: topic, partition: partition, recordsMax: tailRecordsMax)
        for headers in tail.reversed() {
            guard Self.value(Self.jobHeader, in: headers) == jobId,
                let batch = Self.value(Self.batchHeader, in: headers).flatMap({ Int64($0) })
            else { continue }
            if batch < batchId { return nil }
            if batch > batchId { return .max }
            return Self.value(Self.seqHeader, in: headers).flatMap { Int64($0) }
        }
        return nil
    }

    static func value(_ key: String, in headers: [RecordHeader]) -> String? {
        guard let bytes = headers.last(where: { $0.key == key })?.value else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// The last batch a writer finished, shared by copies of the writer.
final class CompletedBatch: Sendable {
    private let batchId = Mutex<Int64?>(nil)

    /// The last completed batch, forgotten until `set` (so a failed write leaves nothing behind).
    func take() -> Int64? {
        batchId.withLock { value in
            defer { value = nil }; return value
        }
    }

    /// Records a completed batch.
    func set(_ completed: Int64) { batchId.withLock { $0 = completed } }
}
