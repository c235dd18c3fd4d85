import Wire

/// Why a connection's byte stream stopped yielding request frames.
enum FrameReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The peer closed the connection with this many bytes of an unfinished frame buffered.
    case closedMidFrame(bufferedBytes: Int)
    /// The size prefix is negative or above the limit.
    case badSize(Int32, limit: Int)
    /// Nothing arrived for the idle timeout.
    case idle
    /// The socket failed.
    case io(PosixError)

    var description: String {
        switch self {
        case .closedMidFrame(let count): "peer closed the connection in the middle of a frame (\(count) bytes buffered)"
        case .badSize(let size, let limit): "request frame size \(size) is outside 0...\(limit)"
        case .idle: "connection idle for too long"
        case .io(let error): "read failed: \(error)"
        }
    }
}

/// Cuts a socket's byte stream into size-prefixed request frames (the prefix itself dropped).
///
/// Small frames are copied out of one 64 KiB read buffer, so pipelined requests cost one read
/// between them; a large frame's body is read straight into its own array.
struct KafkaFrameReader {
    let frameBytesMax: Int
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0

    /// Bytes of the read buffer, and the size above which a frame body bypasses it.
    static let bufferBytes = 64 * 1024

    init(frameBytesMax: Int) {
        precondition(frameBytesMax > 0, "frameBytesMax must be positive")
        self.frameBytesMax = frameBytesMax
        buffer = [UInt8](repeating: 0, count: Self.bufferBytes)
    }

    /// The next frame, or nil when the peer closed the connection cleanly between frames.
    mutating func next(from socket: Socket) throws(FrameReadError) -> [UInt8]? {
        while end - start < 4 {
            if try fill(from: socket) == 0 {
                if end == start { return nil }
                throw .closedMidFrame(bufferedBytes: end - start)
            }
        }
        let size = buffer.withUnsafeBytes { Int32(bigEndian: $0.loadUnaligned(fromByteOffset: start, as: Int32.self)) }
        guard size >= 0, Int(size) <= frameBytesMax else { throw .badSize(size, limit: frameBytesMax) }
        start += 4
        return try body(count: Int(size), from: socket)
    }

    private mutating func body(count: Int, from socket: Socket) throws(FrameReadError) -> [UInt8] {
        // A frame that fits the buffer is gathered there first, so pipelined small frames share reads.
        if count <= buffer.count {
            while end - start < count {
                if try fill(from: socket) == 0 { throw .closedMidFrame(bufferedBytes: end - start + 4) }
            }
            defer { start += count }
            return Array(buffer[start..<(start + count)])
        }
        var failure: FrameReadError?
        let buffered = end - start
        let frame = [UInt8](unsafeUninitializedCapacity: count) { memory, initialized in
            buffer.withUnsafeBytes { raw in
                memory.baseAddress!.initialize(
                    from: raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: buffered)
            }
            var done = buffered
            while done < count {
                do throws(FrameReadError) {
                    let got = try Self.read(
                        socket,
                        into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: memory[done..<count])))
                    if got == 0 {
                        failure = .closedMidFrame(bufferedBytes: done + 4)
                        break
                    }
                    done += got
                } catch {
                    failure = error
                    break
                }
            }
            initialized = done
        }
        start = 0
        end = 0
        if let failure { throw failure }
        return frame
    }

    /// Reads more bytes into the buffer (compacting it first when needed); 0 means end of stream.
    private mutating func fill(from socket: Socket) throws(FrameReadError) -> Int {
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
        let range = end..<buffer.count
        let got = try buffer.withMutableBytes { raw throws(FrameReadError) -> Int in
            try Self.read(socket, into: UnsafeMutableRawBufferPointer(rebasing: raw[range]))
        }
        end += got
        return got
    }

    private static func read(_ socket: Socket, into memory: UnsafeMutableRawBufferPointer) throws(FrameReadError) -> Int
    {
        let result: Posix.IOResult
        do throws(PosixError) { result = try socket.read(into: memory) } catch { throw .io(error) }
        switch result {
        case .processed(let count): return count
        // Only the idle timeout (SO_RCVTIMEO) makes a blocking read give up.
        case .wouldBlock: throw .idle
        }
    }
}
