import Dispatch
import Foundation
import Synchronization
import Wire

/// The background thread that flushes logs under `--fsync interval:MS` and enforces retention
/// every `retentionCheckIntervalMs`, so neither ever runs on a request's path.
final class BrokerMaintenance: Sendable {
    let topics: TopicStore
    let config: BrokerConfig
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)

    init(topics: TopicStore, config: BrokerConfig) {
        self.topics = topics
        self.config = config
    }

    /// How long the thread sleeps between rounds: often enough for the fsync interval and retention.
    var tickMs: Int64 {
        var tick = min(config.retentionCheckIntervalMs, 1000)
        if case .interval(let ms) = config.log.fsync { tick = min(tick, max(1, ms / 2)) }
        return max(1, tick)
    }

    func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "spate-broker-maintenance"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Stops the thread and waits for its current round to end.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        if started.load(ordering: .acquiring) { done.wait() }
    }

    private func run() {
        var nextRetentionMs = Int64(MonotonicClock.milliseconds()) + config.retentionCheckIntervalMs
        while !stopped.load(ordering: .acquiring) {
            let nowMs = Int64(MonotonicClock.milliseconds())
            flushDue(nowMs: nowMs)
            if nowMs >= nextRetentionMs {
                enforceRetention()
                nextRetentionMs = nowMs + config.retentionCheckIntervalMs
            }
            _ = wake.wait(timeout: .now() + .milliseconds(Int(tickMs)))
        }
    }

    private func flushDue(nowMs: Int64) {
        guard case .interval = config.log.fsync else { return }
        for topic in topics.allTopics {
            for partition in topic.partitions {
                do throws(LogError) {
                    _ = try partition.log.flushIfDue(nowMs: nowMs)
                } catch {
                    report("flush of \(topic.name)-\(partition.index) failed: \(error)")
                }
            }
        }
    }

    /// Removes expired segments of every partition now.
    func enforceRetention() {
        let wallMs = WallClock.milliseconds()
        for topic in topics.allTopics {
            for partition in topic.partitions {
                do throws(LogError) {
                    let result = try partition.log.enforceRetention(nowMs: wallMs)
                    if !result.removedSegments.isEmpty {
                        report(
                            "retention removed \(result.removedSegments.count) segment(s) of \(topic.name)-\(partition.index); "
                                + "log start offset is now \(result.logStartOffset)")
                    }
                } catch {
                    report("retention of \(topic.name)-\(partition.index) failed: \(error)")
                }
            }
        }
    }

    private func report(_ line: String) {
        // A log closed under a round is the broker stopping, not a failure worth a line.
        guard !stopped.load(ordering: .acquiring) else { return }
        config.eventLog?(line)
    }
}
