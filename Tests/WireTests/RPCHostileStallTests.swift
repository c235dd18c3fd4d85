import Foundation
import Synchronization
import Testing

@testable import Wire

@Suite struct RPCHostileStallTests {
    /// Peers that ask for large answers and never read them must not stall the server for others:
    /// writes the socket cannot take go to the connection's service thread, never block a task.
    /// There is one such peer per pool thread, so a handler blocked in a write would hold every pool
    /// thread until those peers hang up, and the bystander would never be answered: the generous
    /// wait still tells the two apart, because such a stall does not end by itself.
    @Test func peersThatNeverReadDoNotStallOtherClients() async throws {
        let fixture = try RPCTestServer()
        let address = fixture.address
        let measured = HostileFlag()
        let peerCount = ProcessInfo.processInfo.activeProcessorCount
        let sent = Mutex(0)
        let hostile = (0..<peerCount).map { index in
            ThreadTask("never-reads-\(index)") {
                let peer = try RawPeer(connectingTo: address)
                defer { peer.socket.close() }
                try peer.handshake()
                let body = [UInt8](repeating: 0x5A, count: 1 << 20)
                for id in 1...16 {
                    try peer.write(HostileBytes.frame(.request, kind: RPCTestServer.echo, id: UInt64(id), body: body))
                }
                sent.withLock { $0 += 1 }
                // Hold the connection (unread) until the bystander has its answer or gives up: longer
                // than it waits, or hanging up could free a stalled server just in time.
                let deadline = MonotonicClock.milliseconds() + UInt64(2 * safetyNetMs)
                while !measured.isSet && MonotonicClock.milliseconds() < deadline { usleep(1_000) }
            }
        }
        let bystander = ThreadTask("bystander") { () -> RawEvent in
            defer { measured.set() }
            let deadline = MonotonicClock.milliseconds() + UInt64(safetyNetMs)
            while sent.withLock({ $0 }) < peerCount && MonotonicClock.milliseconds() < deadline { usleep(1_000) }
            let peer = try RawPeer(connectingTo: address)
            defer { peer.socket.close() }
            try peer.handshake()
            try peer.write(HostileBytes.frame(.request, kind: RPCTestServer.echo, id: 1, body: [1, 2, 3]))
            return peer.next(timeoutMs: safetyNetMs)
        }
        let answer = try await bystander.value
        for task in hostile { try await task.value }
        guard case .frame(let frame) = answer, frame.body == [1, 2, 3] else {
            Issue.record("the bystander's echo got \(answer) while peers sat on unread responses")
            return
        }
        await fixture.server.stop()
    }
}
