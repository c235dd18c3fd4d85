import Broker
import Foundation
import Query
import Synchronization
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// The loop behind `spate gen clicks`: generated clicks into a topic, paced, keyed by user id.
/// Blocking: run it on a thread of its own.
enum ClickStream {
    /// Produces per `options` until the count or duration is reached or `stop` is set, then
    /// flushes; `log` hears the setup note and the progress lines.
    static func produce(
        _ options: ClickStreamOptions, client: KafkaClient, stop: StopFlag, log: (String) -> Void
    ) throws(ClickStreamError) -> ClickStreamSummary {
        let partitions = try prepareTopic(options, client: client, log: log)
        let truth = try options.truthPath.map { path throws(ClickStreamError) in try ClickTruthFile(path: path) }
        let tally = DeliveryTally()
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(client: client, config: producerConfig()) { tally.record($0) }
        } catch {
            throw .kafka(error)
        }
        var run = ClickRun(options: options, partitions: partitions, producer: producer, truth: truth)
        log(
            "producing clicks to \(options.topic) (\(partitions) partitions) at "
                + (options.ratePerSecond == 0 ? "full speed" : "\(options.ratePerSecond) events/s")
                + ", seed \(options.seed)")
        var interrupted = false
        do throws(ClickStreamError) {
            interrupted = try run.loop(stop: stop, log: log)
        } catch {
            producer.close(timeoutMs: 10_000)
            throw error
        }
        let report = producer.close()
        try truth?.close()
        let failed = max(report.failedRecords, tally.failed)
        let elapsedNs = MonotonicClock.nanoseconds() - run.startNs
        return ClickStreamSummary(
            topic: options.topic, partitions: Int(partitions), seed: options.seed, sent: run.sent,
            valueBytes: run.valueBytes, malformed: run.malformed, failed: failed,
            firstFailure: tally.firstFailure ?? report.failed.first?.error.map { "\($0)" },
            elapsedSeconds: Double(elapsedNs) / 1e9, interrupted: interrupted)
    }

    /// Batches of 16 KiB, the size the producer first allocates for one: a larger batch grows its
    /// buffer record by record (ByteWriter reserves exactly, so each growth copies the batch), which
    /// cost more than the extra batch headers. A produce request still carries many batches, and a
    /// short linger gets a paced stream to the broker within milliseconds.
    static func producerConfig() -> ProducerConfig {
        var config = ProducerConfig(acks: .all, lingerMs: 5, batchBytes: 16 << 10)
        config.bufferBytesMax = 64 << 20
        return config
    }

    /// Creates the topic if it is missing and returns its partition count.
    static func prepareTopic(_ options: ClickStreamOptions, client: KafkaClient, log: (String) -> Void)
        throws(ClickStreamError) -> Int32
    {
        do {
            do {
                try client.createTopic(options.topic, partitions: options.partitions)
            } catch .topicAlreadyExists {
                // Someone made it first, which is fine: we write to what is there.
            }
            let count = try client.topicMetadata(options.topic, refresh: true).partitionCount
            if options.explicitPartitions && count != Int(options.partitions) {
                log(
                    "topic \(options.topic) already has \(count) partitions; --partitions \(options.partitions) applies only to a new topic"
                )
            }
            return Int32(count)
        } catch {
            throw .kafka(error)
        }
    }
}

/// Counts failed deliveries as the producer reports them, from its sender thread.
final class DeliveryTally: Sendable {
    private let state = Mutex<(failed: Int, first: String?)>((0, nil))

    func record(_ report: DeliveryReport) {
        guard let error = report.error else { return }
        state.withLock { state in
            state.failed += report.tickets.count
            if state.first == nil { state.first = "\(report.topic)/\(report.partition): \(error)" }
        }
    }

    var failed: Int { state.withLock { $0.failed } }
    var firstFailure: String? { state.withLock { $0.first } }
}

/// One run's moving parts: the generator, the pacer, the producer and the counts.
struct ClickRun {
    let options: ClickStreamOptions
    let partitions: Int32
    let producer: KafkaProducer
    let truth: ClickTruthFile?
    var generator: ClickGenerator
    let pacer: ClickPacer
    let startNs: UInt64
    let deadlineNs: UInt64?
    var sent = 0
    var valueBytes = 0
    var malformed = 0
    /// Reused for every event: the producer copies the bytes into its batch before `send` returns.
    var value: [UInt8] = []
    var key: [UInt8] = []
    /// Each user's partition, so murmur2 runs once per user rather than once per event.
    var partitionOfUser: [String: Int32] = [:]

    init(options: ClickStreamOptions, partitions: Int32, producer: KafkaProducer, truth: ClickTruthFile?) {
        self.options = options
        self.partitions = partitions
        self.producer = producer
        self.truth = truth
        var generatorOptions = ClickGenerator.Options()
        generatorOptions.malformedShare = options.malformedShare
        generator = ClickGenerator(seed: options.seed, options: generatorOptions)
        let startNs = MonotonicClock.nanoseconds()
        self.startNs = startNs
        pacer = ClickPacer(ratePerSecond: options.ratePerSecond, startNs: startNs)
        deadlineNs = options.durationSeconds.map { startNs + UInt64($0 * 1e9) }
        value.reserveCapacity(1024)
        key.reserveCapacity(32)
    }

    /// Sends bursts until done; true when `stop` ended it.
    mutating func loop(stop: StopFlag, log: (String) -> Void) throws(ClickStreamError) -> Bool {
        var progress = ProgressClock(startNs: startNs, intervalMs: options.progressIntervalMs)
        while true {
            if stop.isSet { return true }
            let nowNs = MonotonicClock.nanoseconds()
            if let deadlineNs, nowNs >= deadlineNs { return false }
            if let count = options.count, sent >= count { return false }
            if let line = progress.line(nowNs: nowNs, sent: sent, malformed: malformed) { log(line) }
            var burst = pacer.burst(sent: sent, nowNs: nowNs)
            if let count = options.count { burst = min(burst, count - sent) }
            guard burst > 0 else {
                usleep(UInt32(pacer.sleepNs(sent: sent, nowNs: nowNs) / 1_000))
                continue
            }
            try send(burst, eventTimeMs: Self.wallClockMs())
        }
    }

    /// Generates and sends `count` events whose times trail `eventTimeMs`.
    private mutating func send(_ count: Int, eventTimeMs: Int64) throws(ClickStreamError) {
        for _ in 0..<count {
            value.removeAll(keepingCapacity: true)
            let truth = generator.append(to: &value, nowMs: eventTimeMs)
            key.removeAll(keepingCapacity: true)
            key.append(contentsOf: truth.click.userId.utf8)
            let partition = partition(of: truth.click.userId, key: key)
            do {
                try producer.send(
                    topic: options.topic, key: key, value: value, partition: partition, timestampMs: eventTimeMs)
            } catch {
                throw .kafka(error)
            }
            try self.truth?.append(truth, partition: partition)
            sent += 1
            valueBytes += value.count
            if truth.defect != nil { malformed += 1 }
        }
    }

    /// The partition Kafka's default partitioner gives `key`, the bytes of `userId` (the
    /// generator's users are a fixed set, so the memo stays small).
    private mutating func partition(of userId: String, key: [UInt8]) -> Int32 {
        if let known = partitionOfUser[userId] { return known }
        let partition = Murmur2.partition(forKey: key, partitionCount: Int(partitions))
        partitionOfUser[userId] = partition
        return partition
    }

    static func wallClockMs() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// Says when a progress line is due and what it reads: events sent, the rate since the last
/// line, malformed lines sent.
struct ProgressClock {
    let intervalNs: UInt64
    private var lastNs: UInt64
    private var lastSent = 0

    init(startNs: UInt64, intervalMs: UInt64) {
        intervalNs = max(1, intervalMs) * 1_000_000
        lastNs = startNs
    }

    /// The line to print now, or nil when the interval has not passed.
    mutating func line(nowNs: UInt64, sent: Int, malformed: Int) -> String? {
        guard nowNs >= lastNs + intervalNs else { return nil }
        let rate = Double(sent - lastSent) / (Double(nowNs - lastNs) / 1e9)
        lastNs = nowNs
        lastSent = sent
        return "sent \(sent) clicks (\(Int(rate.rounded())) events/s), \(malformed) malformed"
    }
}
