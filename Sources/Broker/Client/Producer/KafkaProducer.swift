import Foundation
import Synchronization
import Wire

/// A batching producer: `send` appends a record to its partition's batch and returns at once; a
/// sender thread ships batches once full or after `lingerMs`, one request per broker carrying every
/// ready partition, retrying retriable failures; `flush` waits until every record is acknowledged and
/// reports failures per batch. Thread-safe; `send` blocks only while the buffer is full.
public final class KafkaProducer: Sendable {
    /// The client whose metadata and connections this producer uses.
    public let client: KafkaClient
    public let config: ProducerConfig
    let state: Mutex<ProducerState>
    let bell = Doorbell()
    let onDelivery: (@Sendable (DeliveryReport) -> Void)?
    private let senderDone = Atomic<Bool>(false)

    /// A producer over `client`; `onDelivery`, if given, hears about every batch on a client thread.
    public init(
        client: KafkaClient, config: ProducerConfig = ProducerConfig(),
        onDelivery: (@Sendable (DeliveryReport) -> Void)? = nil
    ) throws(KafkaClientError) {
        if let problem = config.problem { throw .invalidConfig(problem) }
        self.client = client
        self.config = config
        self.onDelivery = onDelivery
        self.state = Mutex(ProducerState(idempotent: config.usesIdempotence))
        // The thread holds the producer only during a step, so an abandoned producer is freed.
        let thread = Thread { [weak self] in
            while true {
                guard let producer = self else { return }
                guard producer.senderStep() else { return producer.senderStopped() }
            }
        }
        thread.name = "spate-kafka-producer"
        thread.stackSize = 512 * 1024
        thread.start()
    }

    deinit {
        state.withLock { $0.isClosed = true }
        bell.ring()
    }

    /// Queues `record` and returns its ticket (the order `send` saw it, from 0). Throws for a record
    /// that can never be sent (unknown topic or partition, too large) or once the producer is closed.
    @discardableResult
    public func send(_ record: ProducerRecord) throws(KafkaClientError) -> UInt64 {
        let bound = record.encodedBytesBound
        guard bound <= config.recordBytesMax else { throw .recordTooLarge(bytes: bound, limit: config.recordBytesMax) }
        let timestampMs = record.timestampMs ?? WallClock.milliseconds()
        var deadlineNs: UInt64?
        while true {
            let seen = bell.current
            switch state.withLock({ $0.admit(record, bound: bound, timestampMs: timestampMs, config: config) }) {
            case .appended(let ticket, let wake):
                if wake { bell.ring() }
                return ticket
            case .needsMetadata:
                let topic = try client.topicMetadata(record.topic, allowAutoCreate: config.allowAutoCreateTopics)
                state.withLock { $0.partitionCounts[record.topic] = topic.partitionCount }
            case .refused(let error):
                throw error
            case .bufferFull:
                let nowNs = MonotonicClock.nanoseconds()
                let deadline = deadlineNs ?? nowNs + UInt64(config.maxBlockMs) * 1_000_000
                deadlineNs = deadline
                guard nowNs < deadline else { throw .bufferFull(waitedMs: config.maxBlockMs) }
                bell.wait(changedFrom: seen, deadlineNs: deadline)
            }
        }
    }

    /// Queues a record for `topic`; see `send(_:)`.
    @discardableResult
    public func send(
        topic: String, key: [UInt8]? = nil, value: [UInt8]?, headers: [RecordHeader] = [], partition: Int32? = nil,
        timestampMs: Int64? = nil
    ) throws(KafkaClientError) -> UInt64 {
        try send(
            ProducerRecord(
                topic: topic, key: key, value: value, headers: headers, partition: partition, timestampMs: timestampMs))
    }

    /// Sends everything queued without lingering and waits until every record handed to `send` so
    /// far (and meanwhile) is acknowledged or failed and its delivery callback has run; returns what
    /// happened since the last flush.
    /// Throws only if that takes longer than `timeoutMs` (default: the delivery timeout plus a minute).
    public func flush(timeoutMs: Int? = nil) throws(KafkaClientError) -> FlushReport {
        state.withLock { $0.flushers += 1 }
        bell.ring()
        defer { state.withLock { $0.flushers -= 1 } }
        let waitMs = timeoutMs ?? (config.deliveryTimeoutMs + 60_000)
        let deadlineNs = MonotonicClock.nanoseconds() + UInt64(max(0, waitMs)) * 1_000_000
        while true {
            let seen = bell.current
            if state.withLock({ $0.unfinishedRecords == 0 && $0.reportsInFlight == 0 }) { break }
            guard MonotonicClock.nanoseconds() < deadlineNs else {
                throw .deliveryTimedOut(afterMs: waitMs, lastError: "flush gave up waiting")
            }
            bell.wait(changedFrom: seen, deadlineNs: deadlineNs)
        }
        return takeReport()
    }

    /// Flushes, then stops the sender; later sends fail with `.closed`. Returns the final report.
    @discardableResult
    public func close(timeoutMs: Int? = nil) -> FlushReport {
        let report = (try? flush(timeoutMs: timeoutMs)) ?? takeReport()
        state.withLock { $0.isClosed = true }
        bell.ring()
        _ = eventuallyStopped(timeoutMs: 5_000)
        return report
    }

    /// Records handed to `send` and not yet finished.
    public var pendingRecords: Int { state.withLock { $0.unfinishedRecords } }

    private func takeReport() -> FlushReport {
        state.withLock { state in
            defer {
                state.acknowledgedSinceFlush = 0
                state.failedSinceFlush = []
            }
            return FlushReport(acknowledged: state.acknowledgedSinceFlush, failed: state.failedSinceFlush)
        }
    }

    private func eventuallyStopped(timeoutMs: Int) -> Bool {
        let deadlineNs = MonotonicClock.nanoseconds() + UInt64(timeoutMs) * 1_000_000
        while !senderDone.load(ordering: .acquiring) {
            let seen = bell.current
            guard MonotonicClock.nanoseconds() < deadlineNs else { return false }
            bell.wait(changedFrom: seen, deadlineNs: min(deadlineNs, MonotonicClock.nanoseconds() + 10_000_000))
        }
        return true
    }

    private func senderStopped() {
        senderDone.store(true, ordering: .releasing)
        bell.ring()
    }
}
