import Synchronization
import Wire

/// Arrays of large response frames handed back by their last user, kept for the next large frame.
/// A fresh 31 MB fetch frame may land on memory the process has not touched yet (outside a process
/// that keeps large allocations in its heap, always: malloc maps and unmaps it), faulted in page by
/// page as the socket fills it, with the kernel zeroing each page first; a reused one is already
/// mapped. Safety does not rest on the giver: an array is written only through Swift's
/// mutable access, so one still shared with a reader is copied first (counted in `copiedOnTake`),
/// never overwritten under it. Bounded in arrays and in bytes of capacity kept.
public final class FrameBufferPool: Sendable {
    /// Frames smaller than this are left to malloc, which serves them from its heap.
    public static let pooledBytesMin = 1 << 20

    /// How often `take` reused a kept array, allocated a fresh one, or found a kept one still shared.
    public struct Counts: Sendable, Equatable {
        public var reused = 0
        public var fresh = 0
        public var copiedOnTake = 0
    }

    private struct Stock {
        var arrays: [[UInt8]] = []
        var bytes = 0
        var counts = Counts()
    }

    /// The most capacity, in bytes, of arrays kept at once.
    public let bytesMax: Int
    /// The most arrays kept at once.
    public let buffersMax: Int
    private let stock = Mutex(Stock())

    public init(bytesMax: Int, buffersMax: Int = 4) {
        precondition(bytesMax >= 0 && buffersMax >= 0, "pool bounds must not be negative")
        self.bytesMax = bytesMax
        self.buffersMax = buffersMax
    }

    /// Counts so far (for tests and figures).
    public var counts: Counts { stock.withLock { $0.counts } }
    /// Arrays kept right now and their capacity in bytes.
    public var kept: (arrays: Int, bytes: Int) { stock.withLock { ($0.arrays.count, $0.bytes) } }

    /// An array of exactly `count` bytes, uniquely owned, whose contents are unspecified (stale bytes
    /// of an earlier frame): the caller overwrites all of them before anyone reads it.
    func take(count: Int) -> [UInt8] {
        precondition(count >= 0, "negative frame size")
        guard count >= Self.pooledBytesMin, var array = takeKept(fitting: count) else {
            return Self.fresh(count: count)
        }
        let before = array.withUnsafeBytes { $0.baseAddress }
        // Copies a still-shared array (Swift's copy on write); the copy is ours alone.
        let after = array.withUnsafeMutableBytes { UnsafeRawPointer($0.baseAddress) }
        if array.count > count {
            array.removeLast(array.count - count)
        } else if array.count < count {
            array.append(contentsOf: repeatElement(0, count: count - array.count))
        }
        if before != after { stock.withLock { $0.counts.copiedOnTake += 1 } }
        return array
    }

    /// Keeps `array` for a later frame when it is large and the bounds allow; otherwise frees it.
    /// Give back only an array nothing else holds any more (a shared one is copied when taken).
    public func giveBack(_ array: consuming [UInt8]) {
        let capacity = array.capacity
        guard capacity >= Self.pooledBytesMin else { return }
        var refused: [UInt8]? = array
        stock.withLock { stock in
            guard let kept = refused, stock.arrays.count < buffersMax, stock.bytes + capacity <= bytesMax else {
                return
            }
            refused = nil
            stock.arrays.append(kept)
            stock.bytes += capacity
        }
        // A refused array is freed here, outside the lock: unmapping tens of megabytes takes a while.
    }

    /// The kept array with the least capacity that holds `count` bytes, if it is not over twice as
    /// large (a small frame would pin a big array for as long as its records live).
    private func takeKept(fitting count: Int) -> [UInt8]? {
        stock.withLock { stock -> [UInt8]? in
            var best: Int?
            for (index, array) in stock.arrays.enumerated() where array.capacity >= count {
                guard array.capacity <= 2 * count else { continue }
                if best.map({ array.capacity < stock.arrays[$0].capacity }) ?? true { best = index }
            }
            guard let best else {
                stock.counts.fresh += 1
                return nil
            }
            let array = stock.arrays.remove(at: best)
            stock.bytes -= array.capacity
            stock.counts.reused += 1
            precondition(stock.bytes >= 0, "pooled bytes went negative")
            return array
        }
    }

    /// A new array of `count` bytes, not zeroed (memset of fetch frames was 1.6% of a pv_uv run's
    /// CPU); a large one gets an eighth more capacity, unmapped until used, so that it can later
    /// serve a slightly larger frame, and is backed by huge pages where the kernel has them.
    static func fresh(count: Int) -> [UInt8] {
        let capacity = count >= pooledBytesMin ? count + count / 8 : count
        return [UInt8](unsafeUninitializedCapacity: capacity) { memory, initialized in
            if count >= pooledBytesMin { Posix.adviseHugePages(UnsafeMutableRawBufferPointer(memory)) }
            initialized = count
        }
    }
}
