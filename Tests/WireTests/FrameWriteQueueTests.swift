import Foundation
import Testing

@testable import Wire

@Suite struct FrameWriteQueueTests {
    /// A half-close asked for while the service thread still owns a large write waits for it: the
    /// peer reads every byte, the last frame included, and only then the end of the stream. Shutting
    /// the socket at once, as the goodbye used to, cut the queued frame off.
    @Test func aHalfCloseWaitsForTheWriteInProgress() async throws {
        let listener = try Socket.listen(on: SocketAddress(parsing: "127.0.0.1:0"))
        defer { listener.close() }
        let address = try listener.localAddress()
        let sender = try Socket.connect(to: address)
        defer { sender.close() }
        let (receiver, _) = try listener.accept()
        defer { receiver.close() }
        sender.setBufferSizes(bytes: 16 * 1024)
        receiver.setBufferSizes(bytes: 16 * 1024)
        try receiver.setReceiveTimeout(ms: safetyNetMs)

        let queue = FrameWriteQueue(socket: sender)
        let stopService = HostileFlag()
        // The connection's service thread, reduced to its write duty.
        let service = Thread {
            while !stopService.isSet {
                queue.flushHandedOff()
                _ = queue.wakeup.wait(timeout: .now() + .milliseconds(10))
            }
        }
        service.start()
        defer { stopService.set() }

        // Nothing reads yet, so the socket takes a fraction and the rest goes to the service thread.
        let large = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try queue.write([large])
        #expect(queue.isHandedOff, "4 MB cannot fit a 16 KB socket buffer: the service thread owns the rest")
        let last: [UInt8] = Array("goodbye".utf8)
        try queue.write([last], thenShutdownWrite: true)

        let received = try await onThread("half-close-reader") { () throws -> [UInt8] in
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let result = try buffer.withUnsafeMutableBytes { try receiver.read(into: $0) }
                guard case .processed(let count) = result else {
                    throw PosixError(call: "read", errno: ETIMEDOUT, context: "no end of stream")
                }
                if count == 0 { return bytes }
                bytes += buffer[0..<count]
            }
        }
        // Compared as one Bool: a failing #expect on two 4 MB arrays would spend minutes diffing them.
        let intact = received == large + last
        #expect(
            intact,
            "received \(received.count) bytes of \(large.count + last.count), the last frame intact: \(received.suffix(last.count).elementsEqual(last))"
        )
        #expect(!queue.isFlushing)
    }
}
