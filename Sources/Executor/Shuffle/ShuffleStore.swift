import Synchronization

/// Names one map task's shuffle output.
struct ShuffleKey: Hashable, Sendable {
    let jobId: String
    let batchId: Int64
    let stage: Int32
    let mapPartition: Int32
}

/// Why the shuffle store refused output.
enum ShuffleStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Keeping the blocks would take the store over its limit.
    case full(neededBytes: Int, heldBytes: Int, limitBytes: Int)

    var description: String {
        switch self {
        case .full(let needed, let held, let limit):
            "the shuffle store cannot take \(needed) more bytes: it holds \(held) of its \(limit)-byte limit "
                + "(lower the job's max_records_per_batch, or add executors)"
        }
    }
}

/// Map outputs held in memory until the driver releases their batch: for each map task, one
/// block per reduce partition. A map attempt that runs again replaces its earlier output.
final class ShuffleStore: Sendable {
    private struct State {
        var outputs: [ShuffleKey: [[UInt8]]] = [:]
        var heldBytes = 0
    }

    private let state = Mutex(State())
    /// The most bytes of blocks held at once.
    let bytesMax: Int

    init(bytesMax: Int) {
        precondition(bytesMax > 0, "the shuffle store needs a positive limit")
        self.bytesMax = bytesMax
    }

    /// Keeps `blocks` (index = reduce partition) as the output of `key`.
    func put(_ key: ShuffleKey, blocks: [[UInt8]]) throws(ShuffleStoreError) {
        let bytes = blocks.reduce(0) { $0 + $1.count }
        try state.withLock { state throws(ShuffleStoreError) in
            let replaced = state.outputs[key].map { $0.reduce(0) { $0 + $1.count } } ?? 0
            let after = state.heldBytes - replaced + bytes
            guard after <= bytesMax else {
                throw .full(neededBytes: bytes, heldBytes: state.heldBytes - replaced, limitBytes: bytesMax)
            }
            state.outputs[key] = blocks
            state.heldBytes = after
        }
    }

    /// The block of `key` for `reducePartition`; nil if the output or the partition is unknown.
    func block(_ key: ShuffleKey, reducePartition: Int32) -> [UInt8]? {
        state.withLock { state -> [UInt8]? in
            guard let blocks = state.outputs[key], reducePartition >= 0, Int(reducePartition) < blocks.count else {
                return nil
            }
            return blocks[Int(reducePartition)]
        }
    }

    /// Drops the outputs of `jobId`'s batches up to and including `batchId`.
    func release(jobId: String, throughBatch batchId: Int64) {
        state.withLock { state in
            let released = state.outputs.keys.filter { $0.jobId == jobId && $0.batchId <= batchId }
            for key in released {
                let blocks = state.outputs.removeValue(forKey: key) ?? []
                state.heldBytes -= blocks.reduce(0) { $0 + $1.count }
            }
        }
    }

    /// Drops everything (the driver that knew about these outputs is gone).
    func removeAll() {
        state.withLock { $0 = State() }
    }

    /// Bytes of blocks held.
    var heldBytes: Int { state.withLock { $0.heldBytes } }

    /// Map outputs held.
    var outputCount: Int { state.withLock { $0.outputs.count } }
}
