import Foundation
import Synchronization

/// Serialises frames onto one socket from many callers with no writer thread: the first caller
/// to find the queue idle becomes the flusher and writes everything queued meanwhile in one
/// `sendmsg`, so under load many frames share a system call, and alone a frame goes out at once.
final class FrameWriteQueue: Sendable {
    /// Small frames are appended into one chunk up to this size to keep the iovec count low.
    static let coalesceBytesMax = 64 * 1024

    private struct State {
        var chunks: [[UInt8]] = []
        var lastChunkIsOwned = false
        var flushing = false
        var failure: PosixError?
    }

    private let socket: Socket
    private let state = Mutex(State())

    init(socket: Socket) { self.socket = socket }

    /// Queues `chunks` as one contiguous unit (no other frame can interleave) and flushes if idle.
    func write(_ chunks: [[UInt8]]) throws(PosixError) {
        let becomeFlusher = try state.withLock { (state) throws(PosixError) -> Bool in
            if let failure = state.failure { throw failure }
            for chunk in chunks where !chunk.isEmpty {
                if chunk.count < Self.coalesceBytesMax, state.lastChunkIsOwned,
                    let last = state.chunks.indices.last, state.chunks[last].count < Self.coalesceBytesMax
                {
                    state.chunks[last].append(contentsOf: chunk)
                } else {
                    state.chunks.append(chunk)
                    // Appending into a caller's array would copy it anyway; mark the chunk ours only
                    // when it is small, so large bodies are never copied.
                    state.lastChunkIsOwned = chunk.count < Self.coalesceBytesMax
                }
            }
            if state.flushing { return false }
            state.flushing = true
            return true
        }
        if becomeFlusher { try flush() }
    }

    private func flush() throws(PosixError) {
        while true {
            let batch = state.withLock { state -> [[UInt8]] in
                if state.chunks.isEmpty {
                    state.flushing = false
                    return []
                }
                let batch = state.chunks
                state.chunks = []
                state.lastChunkIsOwned = false
                return batch
            }
            if batch.isEmpty { return }
            do {
                try Posix.writevAll(socket.fd, batch)
            } catch {
                state.withLock {
                    $0.failure = error
                    $0.chunks = []
                    $0.flushing = false
                }
                socket.shutdown()
                throw error
            }
        }
    }

    /// Waits up to `timeoutMs` until frames already queued are written (or their write failed).
    /// Blocks the calling thread; only the reader thread calls it, never a task.
    func drain(timeoutMs: Int) {
        let deadline = MonotonicClock.milliseconds() + UInt64(max(0, timeoutMs))
        // Queued chunks always have a flusher, so an idle queue is an empty one.
        while state.withLock({ $0.flushing }) && MonotonicClock.milliseconds() < deadline {
            usleep(100)
        }
    }

    /// Refuses every later write with `error` (the connection is going away).
    func fail(_ error: PosixError) {
        state.withLock { if $0.failure == nil { $0.failure = error } }
    }
}
