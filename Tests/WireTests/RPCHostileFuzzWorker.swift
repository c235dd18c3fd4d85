@testable import Wire

/// Tallies of what one fuzz worker sent.
struct HostileFuzzCounts: Sendable, CustomStringConvertible {
    var frames = 0
    var connections = 0
    var replies = 0
    var fatal = 0
    var pipelinedFatal = 0
    var splitBatches = 0

    mutating func add(_ other: HostileFuzzCounts) {
        frames += other.frames
        connections += other.connections
        replies += other.replies
        fatal += other.fatal
        pipelinedFatal += other.pipelinedFatal
        splitBatches += other.splitBatches
    }

    var description: String {
        "\(frames) frames on \(connections) connections (\(replies) replies checked, \(fatal) fatal frames, "
            + "\(pipelinedFatal) of them pipelined, \(splitBatches) batches written in pieces)"
    }
}

/// One fuzz worker's life: connection after connection of seeded hostile traffic against a live
/// server, every reaction checked. Runs on its own thread; blocking reads are its whole point.
struct HostileFuzzWorker {
    let address: SocketAddress
    let frameTarget: Int
    var maker: HostileFrameMaker
    var counts = HostileFuzzCounts()
    private var nextId: UInt64 = 1

    init(address: SocketAddress, frameBytesMax: Int, frameTarget: Int, seed: UInt64) {
        self.address = address
        self.frameTarget = frameTarget
        self.maker = HostileFrameMaker(frameBytesMax: frameBytesMax, rng: BytesTestRandom(seed: seed))
    }

    mutating func run() -> Result<HostileFuzzCounts, HostileFailure> {
        while counts.frames < frameTarget {
            do {
                try runConnection()
            } catch {
                return .failure(HostileFailure("connection \(counts.connections): \(error)"))
            }
            counts.connections += 1
        }
        return .success(counts)
    }

    private mutating func roll(_ range: Range<Int>) -> Int { Int.random(in: range, using: &maker.rng) }

    private mutating func runConnection() throws {
        let peer = try RawPeer(connectingTo: address)
        defer { peer.socket.close() }
        try peer.handshake()
        nextId = maker.rng.next() >> 2 | 1
        var remaining = roll(0..<61)
        let ending = roll(0..<20)
        while remaining > 0 {
            let count = min(remaining, roll(1..<25))
            remaining -= count
            // A fatal frame sometimes rides at the end of the last batch, behind requests in flight.
            let fatal = remaining == 0 && ending < 5 ? maker.fatal() : nil
            try exchangeBatch(peer, count, fatal)
            if fatal != nil { return }
        }
        switch ending {
        case 0..<10: try exchangeBatch(peer, 0, maker.fatal())
        case 10..<15: try sayGoodbye(peer)
        case 15..<19:
            peer.socket.shutdownWrite()
            try peer.framesUntilClosed().get().expectNone("after a half-close")
        default: return  // an abrupt close, nothing to observe
        }
    }

    /// Writes `count` recoverable frames (and `fatal`) in one go, then checks every reaction.
    private mutating func exchangeBatch(_ peer: RawPeer, _ count: Int, _ fatal: FatalFrame?) throws {
        var bytes: [UInt8] = []
        var expected: [UInt64: ExpectedReply] = [:]
        for _ in 0..<count {
            let id = nextId
            nextId += 1
            let (frame, reply) = maker.recoverable(id: id)
            bytes += frame
            expected[id] = reply
        }
        if let fatal {
            bytes += fatal.bytes
            counts.fatal += 1
            counts.pipelinedFatal += count > 0 ? 1 : 0
        }
        counts.frames += count + (fatal == nil ? 0 : 1)
        counts.replies += expected.count
        do {
            try writeBatch(peer, bytes)
        } catch {
            // The server may hang up on a fatal frame before all of it is written.
            guard fatal != nil else { throw HostileFailure("writing a batch of \(count) frames: \(error)") }
        }
        guard let fatal else { return try collectReplies(peer, &expected) }
        do {
            try observeFatal(peer, fatal, expected)
        } catch {
            throw HostileFailure("\(error) (behind \(count) frames, \(expected.count) of them answered)")
        }
    }

    private mutating func writeBatch(_ peer: RawPeer, _ bytes: [UInt8]) throws {
        guard roll(0..<20) == 0 else { return try peer.write(bytes) }
        counts.splitBatches += 1
        let pieceBytesMax = [1, 3, 16, 100, 700][roll(0..<5)]
        try peer.writeInPieces(bytes, pieceBytesMax: pieceBytesMax, using: &maker.rng)
    }

    private func collectReplies(_ peer: RawPeer, _ expected: inout [UInt64: ExpectedReply]) throws {
        while !expected.isEmpty {
            let event = peer.next(timeoutMs: safetyNetMs)
            guard case .frame(let frame) = event else {
                throw HostileFailure("waiting for \(expected.count) replies, got \(event)")
            }
            try Self.match(frame, &expected)
        }
    }

    /// Pipelined replies come in any order (handlers run concurrently), so they match by id.
    static func match(_ frame: RawFrame, _ expected: inout [UInt64: ExpectedReply]) throws {
        guard let reply = expected.removeValue(forKey: frame.correlationId) else {
            throw HostileFailure("unexpected \(frame)")
        }
        switch reply {
        case .echo(let kind, let body):
            guard frame.type == RPCFrameType.response.rawValue, frame.messageKind == kind, frame.body == body else {
                throw HostileFailure("expected the echo of \(body.count) bytes, got \(frame)")
            }
        case .error(let code, let words):
            guard frame.type == RPCFrameType.error.rawValue, let (found, message) = frame.errorBody, found == code,
                message.contains(words)
            else { throw HostileFailure("expected \(code) mentioning '\(words)', got \(frame)") }
        }
    }

    private func observeFatal(_ peer: RawPeer, _ fatal: FatalFrame, _ expected: [UInt64: ExpectedReply]) throws {
        if fatal.halfClose { peer.socket.shutdownWrite() }
        let frames: [RawFrame]
        do {
            frames = try peer.framesUntilClosed().get()
        } catch {
            throw HostileFailure("\(fatal.name): \(error)")
        }
        var pending = expected
        var connectionLevel: [RawFrame] = []
        for frame in frames {
            if pending[frame.correlationId] != nil {
                try Self.match(frame, &pending)
            } else {
                connectionLevel.append(frame)
            }
        }
        switch fatal.reaction {
        case .silentClose:
            try connectionLevel.expectNone("\(fatal.name)")
        case .error(let code, let words):
            if let failure = expectConnectionError(connectionLevel, code, mentioning: words) {
                throw HostileFailure("\(fatal.name): \(failure)")
            }
            // The reader thread queued these before it reached the fatal frame, so they went out first.
            let lost = pending.filter { if case .error = $0.value { true } else { false } }
            guard lost.isEmpty else { throw HostileFailure("\(fatal.name): lost error replies for \(lost.keys)") }
        }
    }

    private mutating func sayGoodbye(_ peer: RawPeer) throws {
        try peer.write(HostileBytes.frame(.goodbye))
        counts.frames += 1
        let frames = try peer.framesUntilClosed().get()
        guard frames.count == 1, let goodbye = frames.first, goodbye.type == RPCFrameType.goodbye.rawValue,
            goodbye.correlationId == 0, goodbye.body.isEmpty
        else { throw HostileFailure("expected one goodbye then end of stream, got \(frames)") }
    }
}

extension [RawFrame] {
    func expectNone(_ context: String) throws {
        guard isEmpty else { throw HostileFailure("\(context): expected no frames, got \(self)") }
    }
}
