import Glibc
import Testing

@testable import Wire

@Suite(.dedicatedThread) struct PosixSendfileTests {
    /// A temporary file holding `bytes`, open for reading; removed when the test ends.
    final class TemporaryFile {
        let path: String
        let fd: Int32

        init(_ bytes: [UInt8]) throws {
            path = "/tmp/spate-sendfile-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            let fd = try Posix.open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC)
            self.fd = fd
            try bytes.withUnsafeBytes { raw in try Posix.pwriteAll(fd, raw, 0) }
        }

        deinit {
            try? Posix.close(fd)
            try? Posix.unlink(path)
        }
    }

    /// Bytes that differ at every position a wrong offset could land on.
    static func patterned(_ count: Int) -> [UInt8] {
        var state: UInt32 = 0x9E37_79B9
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    /// A connected loopback TCP pair, both ends non-blocking.
    static func loopbackPair() throws -> (sender: Socket, receiver: Socket) {
        let listener = try Socket.listen(on: SocketAddress(parsing: "127.0.0.1:0"))
        let sender = try Socket.connect(to: listener.localAddress())
        let (receiver, _) = try listener.accept()
        try sender.setNonBlocking(true)
        try receiver.setNonBlocking(true)
        return (sender, receiver)
    }

    /// Sends `[offset, offset + count)` of `file` with `Posix.sendfile`, reading the receiving end
    /// whenever the sender is full, and returns every byte that arrived.
    static func transfer(
        _ file: TemporaryFile, offset: Int64, count: Int, over pair: (sender: Socket, receiver: Socket)
    )
        throws -> [UInt8]
    {
        var received: [UInt8] = []
        var sent = 0
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        func drain() throws {
            while true {
                let result = try scratch.withUnsafeMutableBytes { try pair.receiver.read(into: $0) }
                guard case .processed(let got) = result, got > 0 else { return }
                received += scratch[0..<got]
            }
        }
        while sent < count {
            switch try Posix.sendfile(pair.sender.fd, from: file.fd, offset: offset + Int64(sent), count: count - sent)
            {
            case .processed(let got):
                #expect(got > 0, "sendfile inside the file moved nothing")
                if got == 0 { return received }
                sent += got
            case .wouldBlock:
                try drain()
            }
        }
        let deadline = MonotonicClock.milliseconds() + 30_000
        while received.count < count, MonotonicClock.milliseconds() < deadline {
            _ = try pair.receiver.poll(events: Int16(POLLIN), timeoutMs: 1_000)
            try drain()
        }
        return received
    }

    @Test func rangesOfAFileArriveByteForByte() throws {
        let bytes = Self.patterned(3 << 20)
        let file = try TemporaryFile(bytes)
        let pair = try Self.loopbackPair()
        // Whole file (far more than a socket buffer, so sends go partial and would block), odd
        // ranges in the middle, one byte, and the very end.
        let ranges: [(offset: Int, count: Int)] = [
            (0, bytes.count), (1, 4095), (12_345, 700_001), (bytes.count - 1, 1), (bytes.count - 100_000, 100_000),
        ]
        for range in ranges {
            let received = try Self.transfer(file, offset: Int64(range.offset), count: range.count, over: pair)
            #expect(received == Array(bytes[range.offset..<(range.offset + range.count)]), "range \(range)")
        }
    }

    @Test func offsetsAtOrPastTheEndSendNothingAndARangeCrossingItStopsThere() throws {
        let bytes = Self.patterned(10_000)
        let file = try TemporaryFile(bytes)
        let pair = try Self.loopbackPair()
        #expect(try Posix.sendfile(pair.sender.fd, from: file.fd, offset: 10_000, count: 100) == .processed(0))
        #expect(try Posix.sendfile(pair.sender.fd, from: file.fd, offset: 50_000, count: 100) == .processed(0))
        #expect(try Posix.sendfile(pair.sender.fd, from: file.fd, offset: 9_990, count: 100) == .processed(10))
        var scratch = [UInt8](repeating: 0, count: 100)
        #expect(try pair.receiver.poll(events: Int16(POLLIN), timeoutMs: 30_000))
        let result = try scratch.withUnsafeMutableBytes { try pair.receiver.read(into: $0) }
        #expect(result == .processed(10))
        #expect(Array(scratch[0..<10]) == Array(bytes[9_990...]))
    }

    @Test func aClosedPeerIsATypedErrorNotASignal() throws {
        let file = try TemporaryFile(Self.patterned(1_000))
        // Whether or not the caller blocks SIGPIPE itself, the call leaves no signal behind and the
        // mask as it found it; a delivered SIGPIPE (default action) would end this test process.
        for callerBlocks in [false, true] {
            var before = sigset_t()
            pthread_sigmask(SIG_SETMASK, nil, &before)
            if callerBlocks { Posix.blockSIGPIPEOnThisThread() }
            defer { pthread_sigmask(SIG_SETMASK, &before, nil) }
            var maskBefore = sigset_t()
            pthread_sigmask(SIG_SETMASK, nil, &maskBefore)
            var fds: [Int32] = [-1, -1]
            #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0)
            defer { try? Posix.close(fds[0]) }
            try Posix.close(fds[1])
            do {
                _ = try Posix.sendfile(fds[0], from: file.fd, offset: 0, count: 1_000)
                Issue.record("sendfile to a closed peer succeeded")
            } catch {
                #expect(error.call == "sendfile" && error.errno == EPIPE)
            }
            var pending = sigset_t()
            sigpending(&pending)
            #expect(sigismember(&pending, SIGPIPE) == 0, "a SIGPIPE was left pending")
            var maskAfter = sigset_t()
            pthread_sigmask(SIG_SETMASK, nil, &maskAfter)
            #expect(sigismember(&maskAfter, SIGPIPE) == sigismember(&maskBefore, SIGPIPE))
        }
    }

    @Test func aSourceThatIsNotAFileIsATypedError() throws {
        let pair = try Self.loopbackPair()
        // A socket cannot be read at an offset.
        #expect(throws: PosixError(call: "sendfile", errno: ESPIPE)) {
            try Posix.sendfile(pair.sender.fd, from: pair.receiver.fd, offset: 0, count: 10)
        }
    }
}
