import Broker
import Dispatch
import Foundation
import Synchronization
import Wire

/// Reads ahead of the map tasks, as a Kafka consumer's fetcher does. When a task has read a
/// partition up to `end` and the broker already holds more, the next batch will almost surely
/// ask for the records from `end` (the driver plans ranges back to back), so they are fetched in
/// the background while this task decodes, maps, reduces and commits. Without it the fetch (the
/// broker reading the log, the socket, the client's copy: about 25 ms for 25 MB) sits between
/// every two batches with the task's core idle. A task that asks for exactly that offset takes
/// the answer, waiting if it is still on its way; any other answer is dropped. Records at an
/// offset never change, so a taken answer is as good as a fresh fetch. The answer's records are
/// walked on the read-ahead's thread as well, as a Kafka consumer's fetcher parses its answers.
final class SourcePrefetch: Sendable {
    /// Where a read-ahead starts.
    struct Key: Hashable, Sendable {
        let broker: String
        let topic: String
        let partition: Int32
        let offset: Int64
    }

    /// One read-ahead: started once, finished once, taken at most once.
    private final class Pending: Sendable {
        let bytes: Int
        let startedMs: UInt64
        private let finished = DispatchSemaphore(value: 0)
        private let answer = Mutex<WalkedFetch?>(nil)

        init(bytes: Int, startedMs: UInt64) {
            self.bytes = bytes
            self.startedMs = startedMs
        }

        func finish(_ fetched: WalkedFetch?) {
            answer.withLock { $0 = fetched }
            finished.signal()
        }

        /// The answer once it arrived, or nil if it failed or took longer than `timeoutMs`.
        func wait(timeoutMs: Int) -> WalkedFetch? {
            guard finished.wait(timeout: .now() + .milliseconds(timeoutMs)) == .success else { return nil }
            return answer.withLock { $0 }
        }
    }

    private struct Ledger {
        var pending: [Key: Pending] = [:]
        var bytes = 0
        var hits = 0
        var misses = 0
    }

    /// The most bytes asked for by read-aheads held at once: a bound on the memory they take.
    let heldBytesMax: Int
    /// A read-ahead nobody took within this long is dropped (the job was stopped or moved).
    let keepMs: UInt64
    private let ledger = Mutex(Ledger())

    init(heldBytesMax: Int, keepMs: UInt64 = 10_000) {
        self.heldBytesMax = heldBytesMax
        self.keepMs = keepMs
    }

    /// Read-aheads taken, and ones dropped unused (for tests and figures).
    var counts: (hits: Int, misses: Int) { ledger.withLock { ($0.hits, $0.misses) } }

    /// Fetches `options.maxBytes` of `key`'s partition from `key.offset` on a thread of its own,
    /// unless one is already on its way for that partition or the byte bound is reached.
    func start(_ key: Key, client: KafkaClient, options: FetchOptions) {
        let now = MonotonicClock.milliseconds()
        let bytes = Int(options.maxBytes)
        let pending = ledger.withLock { ledger -> Pending? in
            dropExpired(&ledger, now: now)
            let samePartition = ledger.pending.keys.contains {
                $0.broker == key.broker && $0.topic == key.topic && $0.partition == key.partition
            }
            guard !samePartition, ledger.bytes + bytes <= heldBytesMax else { return nil }
            let pending = Pending(bytes: bytes, startedMs: now)
            ledger.pending[key] = pending
            ledger.bytes += bytes
            return pending
        }
        guard let pending else { return }
        let thread = Thread {
            // No long poll: records the broker does not hold yet are the next task's to wait for.
            var options = options
            options.maxWaitMs = 0
            let fetched = try? client.fetch(
                topic: key.topic, partition: key.partition, offset: key.offset, options: options)
            // Walked here too, off the task's thread; a malformed answer is left for the task's own
            // fetch to report.
            pending.finish(fetched.flatMap { $0.isEmpty ? nil : try? WalkedFetch($0, below: .max) })
        }
        thread.name = "spate-prefetch"
        thread.start()
    }

    /// The read-ahead from exactly `key`, if one was started (waiting up to `timeoutMs` for it);
    /// read-aheads of the same partition from another offset are dropped.
    func take(_ key: Key, timeoutMs: Int) -> WalkedFetch? {
        let pending = ledger.withLock { ledger -> Pending? in
            dropExpired(&ledger, now: MonotonicClock.milliseconds())
            let found = ledger.pending.removeValue(forKey: key)
            let stale = ledger.pending.keys.filter {
                $0.broker == key.broker && $0.topic == key.topic && $0.partition == key.partition
            }
            for other in stale { drop(other, from: &ledger) }
            if let found {
                ledger.bytes -= found.bytes
                ledger.hits += 1
            }
            return found
        }
        return pending?.wait(timeoutMs: timeoutMs)
    }

    private func dropExpired(_ ledger: inout Ledger, now: UInt64) {
        let expired = ledger.pending.filter { now >= $0.value.startedMs + keepMs }.map(\.key)
        for key in expired { drop(key, from: &ledger) }
    }

    private func drop(_ key: Key, from ledger: inout Ledger) {
        guard let pending = ledger.pending.removeValue(forKey: key) else { return }
        ledger.bytes -= pending.bytes
        ledger.misses += 1
        precondition(ledger.bytes >= 0, "read-ahead bytes went negative")
    }
}
