import Dispatch
import Foundation
import Synchronization

/// Serialises frames onto one socket from many callers. The first caller to find the queue idle
/// writes everything queued meanwhile in one non-blocking `sendmsg`, so under load many frames
/// share a system call and alone a frame leaves at once. A caller never blocks: whatever the
/// socket cannot take now is handed to the connection's service thread, because blocking a task
/// would stall Swift's shared thread pool (a peer that stops reading could freeze the process).
final class FrameWriteQueue: Sendable {
    /// Small frames are appended into one chunk up to this size to keep the iovec count low.
    static let coalesceBytesMax = 64 * 1024
    /// Rounds a caller flushes for others before it hands the rest to the service thread.
    static let callerFlushRoundsMax = 4

    private struct State {
        var chunks: [[UInt8]] = []
        var lastChunkIsOwned = false
        var flushing = false
        var handedOff = false
        var queuedBytes = 0
        var failure: PosixError?
        /// Half-close once the queue is empty: set by the last frame, carried out by whoever empties it.
        var shutdownWriteWhenEmpty = false
    }

    private let socket: Socket
    private let state = Mutex(State())
    /// Wakes the service thread for handed-off writes.
    let wakeup = DispatchSemaphore(value: 0)

    init(socket: Socket) { self.socket = socket }

    /// Bytes waiting to be written; the reader stops taking requests while this is high.
    var queuedBytes: Int { state.withLock { $0.queuedBytes } }

    /// True while a write is in progress or handed off.
    var isFlushing: Bool { state.withLock { $0.flushing } }

    /// True when the service thread owns the pending bytes.
    var isHandedOff: Bool { state.withLock { $0.handedOff } }

    /// Queues `chunks` as one contiguous unit (no other frame can interleave) and flushes if idle.
    /// With `thenShutdownWrite`, the socket's sending side is shut once these bytes are out: the
    /// queue may be flushing on another thread, and shutting it now would cut them off.
    func write(_ chunks: [[UInt8]], thenShutdownWrite: Bool = false) throws(PosixError) {
        let becomeFlusher = try state.withLock { (state) throws(PosixError) -> Bool in
            if let failure = state.failure { throw failure }
            if thenShutdownWrite { state.shutdownWriteWhenEmpty = true }
            for chunk in chunks where !chunk.isEmpty {
                state.queuedBytes += chunk.count
                if chunk.count < Self.coalesceBytesMax, state.lastChunkIsOwned,
                    let last = state.chunks.indices.last, state.chunks[last].count < Self.coalesceBytesMax
                {
                    state.chunks[last].append(contentsOf: chunk)
                } else {
                    state.chunks.append(chunk)
                    // A small chunk is copied once on the first append into it; large bodies never are.
                    state.lastChunkIsOwned = chunk.count < Self.coalesceBytesMax
                }
            }
            if state.flushing { return false }
            state.flushing = true
            return true
        }
        if becomeFlusher { try flushWithoutBlocking() }
    }

    private func flushWithoutBlocking() throws(PosixError) {
        for _ in 0..<Self.callerFlushRoundsMax {
            guard let batch = takeBatch() else { return }
            let total = batch.reduce(0) { $0 + $1.count }
            let written: Int
            do {
                written = try Posix.sendChunks(socket.fd, batch, skipping: 0, blocking: false)
            } catch {
                fail(error)
                socket.shutdown()
                throw error
            }
            if written < total {
                handOff(Self.remainder(of: batch, after: written), written: written)
                return
            }
            state.withLock { $0.queuedBytes -= written }
        }
        handOff([], written: 0)
    }

    /// Takes everything queued, or marks the queue idle (half-closing if asked) and returns nil.
    private func takeBatch() -> [[UInt8]]? {
        let (batch, shutdownWrite) = state.withLock { state -> ([[UInt8]]?, Bool) in
            if state.chunks.isEmpty || state.failure != nil {
                state.flushing = false
                state.handedOff = false
                return (nil, Self.takeShutdown(&state))
            }
            let batch = state.chunks
            state.chunks = []
            state.lastChunkIsOwned = false
            return (batch, false)
        }
        if shutdownWrite { socket.shutdownWrite() }
        return batch
    }

    /// Whether the queue, now idle, owes the socket its half-close; it is owed once.
    private static func takeShutdown(_ state: inout State) -> Bool {
        guard state.shutdownWriteWhenEmpty, state.failure == nil else { return false }
        state.shutdownWriteWhenEmpty = false
        return true
    }

    private func handOff(_ unwritten: [[UInt8]], written: Int) {
        let (wake, shutdownWrite) = state.withLock { state -> (Bool, Bool) in
            state.queuedBytes -= written
            state.chunks = unwritten + state.chunks
            if state.chunks.isEmpty {
                state.flushing = false
                return (false, Self.takeShutdown(&state))
            }
            state.handedOff = true
            return (true, false)
        }
        if shutdownWrite { socket.shutdownWrite() }
        if wake { wakeup.signal() }
    }

    static func remainder(of batch: [[UInt8]], after written: Int) -> [[UInt8]] {
        var skip = written
        var rest: [[UInt8]] = []
        for chunk in batch {
            if skip >= chunk.count {
                skip -= chunk.count
            } else if skip > 0 {
                rest.append(Array(chunk[skip...]))
                skip = 0
            } else {
                rest.append(chunk)
            }
        }
        return rest
    }

    /// Called on the service thread: writes handed-off bytes, blocking, until the queue is empty.
    func flushHandedOff() {
        guard isHandedOff else { return }
        while let batch = takeBatch() {
            do {
                try Posix.writevAll(socket.fd, batch)
                let total = batch.reduce(0) { $0 + $1.count }
                state.withLock { $0.queuedBytes -= total }
            } catch {
                fail(error)
                socket.shutdown()
                return
            }
        }
    }

    /// Waits up to `timeoutMs` until frames already queued are written (or their write failed).
    /// Blocks the calling thread; only the reader thread calls it, never a task.
    func drain(timeoutMs: Int) {
        let deadline = MonotonicClock.milliseconds() + UInt64(max(0, timeoutMs))
        while isFlushing && MonotonicClock.milliseconds() < deadline {
            usleep(100)
        }
    }

    /// Refuses every later write with `error` (the connection is going away) and drops the queue.
    func fail(_ error: PosixError) {
        state.withLock {
            if $0.failure == nil { $0.failure = error }
            $0.chunks = []
            $0.queuedBytes = 0
            $0.flushing = false
            $0.handedOff = false
        }
        wakeup.signal()
    }
}
