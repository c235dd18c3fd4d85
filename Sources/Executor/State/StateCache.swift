import Query
import Synchronization

/// State partitions kept in memory between batches, each at the version of the last batch this
/// executor applied to it successfully. A reduce task takes its entry out while it runs (so the
/// state is mutated in place, not copied) and puts the new version back only if it succeeds.
final class StateCache: Sendable {
    private struct Key: Hashable {
        let jobId: String
        let partition: Int32
    }

    private struct Entry {
        var state: AggregationState
        var lastUseTick: UInt64
    }

    private struct Contents {
        var entries: [Key: Entry] = [:]
        var tick: UInt64 = 0
    }

    private let contents = Mutex(Contents())
    /// Entries kept; the least recently used goes first.
    let entriesMax: Int

    init(entriesMax: Int) {
        self.entriesMax = entriesMax
    }

    /// Removes and returns the state of (`jobId`, `partition`) if it is at exactly `version`. An
    /// entry at another version is dropped: the task reloads, and its success replaces it.
    func take(jobId: String, partition: Int32, version: Int64) -> AggregationState? {
        contents.withLock { contents -> AggregationState? in
            guard let entry = contents.entries.removeValue(forKey: Key(jobId: jobId, partition: partition)) else {
                return nil
            }
            return entry.state.version == version ? entry.state : nil
        }
    }

    /// Keeps `state` as the latest version of (`jobId`, `partition`).
    func put(jobId: String, partition: Int32, state: AggregationState) {
        guard entriesMax > 0 else { return }
        contents.withLock { contents in
            contents.tick += 1
            contents.entries[Key(jobId: jobId, partition: partition)] = Entry(state: state, lastUseTick: contents.tick)
            while contents.entries.count > entriesMax {
                guard let oldest = contents.entries.min(by: { $0.value.lastUseTick < $1.value.lastUseTick }) else {
                    break
                }
                contents.entries[oldest.key] = nil
            }
        }
    }

    /// The cached version of (`jobId`, `partition`), if any (for tests and status).
    func version(jobId: String, partition: Int32) -> Int64? {
        contents.withLock { $0.entries[Key(jobId: jobId, partition: partition)]?.state.version }
    }

    /// Forgets every state (the driver session they were candidates for is gone).
    func removeAll() {
        contents.withLock { $0 = Contents() }
    }

    /// States held.
    var count: Int { contents.withLock { $0.entries.count } }
}
