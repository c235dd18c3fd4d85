import Wire

/// Why a connection's byte stream stopped yielding response frames.
enum FramingError: Error, Equatable, Sendable {
    /// A size prefix is negative or above the limit.
    case badSize(Int32, limit: Int)
}

/// Cuts a connection's byte stream into size-prefixed response frames (prefix dropped) without ever
/// blocking: `read(from:)` performs one read, `next()` hands out frames already complete. Small frames
/// share one 64 KiB buffer; a larger frame gets its own array (from `frames`, which may reuse one
/// handed back) and is read straight into it.
struct ResponseFramer {
    let frameBytesMax: Int
    let frames: FrameBufferPool
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    /// A frame too big for the buffer, being filled in place.
    private var large: [UInt8]?
    private var largeFilled = 0

    static let bufferBytes = 64 * 1024

    init(frameBytesMax: Int, frames: FrameBufferPool = FrameBufferPool(bytesMax: 0)) {
        precondition(frameBytesMax > 0, "frameBytesMax must be positive")
        self.frameBytesMax = frameBytesMax
        self.frames = frames
        buffer = [UInt8](repeating: 0, count: Self.bufferBytes)
    }

    /// Bytes of an unfinished frame held right now (0 between frames).
    var partialBytes: Int { large.map { _ in largeFilled + 4 } ?? (end - start) }

    /// The next complete frame, or nil until more bytes arrive.
    mutating func next() throws(FramingError) -> [UInt8]? {
        if let frame = large {
            guard largeFilled == frame.count else { return nil }
            large = nil
            largeFilled = 0
            return frame
        }
        guard end - start >= 4 else { return nil }
        let size = buffer.withUnsafeBytes { Int32(bigEndian: $0.loadUnaligned(fromByteOffset: start, as: Int32.self)) }
        guard size >= 0, Int(size) <= frameBytesMax else { throw .badSize(size, limit: frameBytesMax) }
        let count = Int(size)
        if end - start >= 4 + count {
            defer { start += 4 + count }
            return Array(buffer[(start + 4)..<(start + 4 + count)])
        }
        if 4 + count > buffer.count {
            // Too big to gather in the buffer: move what arrived into the frame's own array. Its
            // bytes are not zeroed: the frame is handed out only once reads have filled every byte
            // past what is copied here.
            let buffered = end - start - 4
            var frame = frames.take(count: count)
            frame.withUnsafeMutableBytes { target in
                buffer.withUnsafeBytes { source in
                    target.copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: source[(start + 4)..<(start + 4 + buffered)]))
                }
            }
            large = frame
            largeFilled = buffered
            start = 0
            end = 0
        }
        return nil
    }

    /// One read from `socket` into wherever the next bytes belong; 0 means the peer closed, -1 that
    /// nothing was there after all.
    mutating func read(from socket: Socket) throws(PosixError) -> Int {
        if var frame = large {
            large = nil
            let filled = largeFilled
            let result = frame.withUnsafeMutableBytes { raw in
                Result { () throws(PosixError) -> Int in
                    try Self.read(socket, into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                }
            }
            large = frame
            let got = try result.get()
            if got > 0 { largeFilled += got }
            return got
        }
        if start == end {
            start = 0
            end = 0
        } else if buffer.count - end < 4096 || start > buffer.count / 2 {
            buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: end - start)
            }
            end -= start
            start = 0
        }
        let free = end..<buffer.count
        let got = try buffer.withUnsafeMutableBytes { raw in
            Result { () throws(PosixError) -> Int in
                try Self.read(socket, into: UnsafeMutableRawBufferPointer(rebasing: raw[free]))
            }
        }.get()
        if got > 0 { end += got }
        return got
    }

    private static func read(_ socket: Socket, into memory: UnsafeMutableRawBufferPointer) throws(PosixError) -> Int {
        switch try socket.read(into: memory) {
        case .processed(let count): return count
        // The caller polls before reading; a spurious wake-up reads nothing and is not an end.
        case .wouldBlock: return -1
        }
    }
}
