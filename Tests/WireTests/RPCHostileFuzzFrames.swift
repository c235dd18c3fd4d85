@testable import Wire

/// What the server must send back for a frame it can survive.
enum ExpectedReply {
    case echo(kind: UInt16, body: [UInt8])
    case error(RPCErrorCode, mentioning: String)
}

/// A frame the connection does not survive, and how the server must react to it.
struct FatalFrame {
    enum Reaction {
        /// One error frame with correlation id 0, then end of stream.
        case error(RPCErrorCode, mentioning: String)
        /// End of stream with nothing sent.
        case silentClose
    }

    var name: String
    var bytes: [UInt8]
    var reaction: Reaction
    /// Half-close after writing, so the server sees end of stream (a truncated frame).
    var halfClose = false
}

/// Seeded generators of the frames the fuzz worker throws at the server.
struct HostileFrameMaker {
    static let echo: UInt16 = 1
    let frameBytesMax: Int
    var rng: BytesTestRandom

    mutating func body(atLeast minimum: Int = 0) -> [UInt8] {
        let roll = Int.random(in: 0..<100, using: &rng)
        let count =
            roll < 85
            ? Int.random(in: 0...48, using: &rng) : Int.random(in: 49...(roll < 97 ? 1024 : 8192), using: &rng)
        return rng.bytes(max(minimum, count))
    }

    mutating func otherKind() -> UInt16 {
        let kind = UInt16.random(in: .min ... .max, using: &rng)
        return kind == Self.echo ? 0 : kind
    }

    mutating func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
        var copy = bytes
        copy[index] ^= UInt8.random(in: 1 ... .max, using: &rng)
        return copy
    }

    /// A frame the connection survives, with the reply it must get (nil: none).
    mutating func recoverable(id: UInt64) -> (bytes: [UInt8], reply: ExpectedReply?) {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<4:
            let body = body()
            let omitted = Int.random(in: 0..<5, using: &rng) == 0
            let flags = omitted ? RPCFrameHeader.flagBodyChecksumOmitted : 0
            let frame = HostileBytes.frame(.request, kind: Self.echo, id: id, body: body, flags: flags)
            return (frame, .echo(kind: Self.echo, body: body))
        case 4, 5:
            let kind = Bool.random(using: &rng) ? Self.echo : otherKind()
            let body = body(atLeast: 1)
            let frame = HostileBytes.frame(.request, kind: kind, id: id, body: body)
            let index = 32 + Int.random(in: 0..<body.count, using: &rng)
            return (flipped(frame, at: index), .error(.badFrame, mentioning: "body checksum"))
        case 6, 7:
            let kind = otherKind()
            let frame = HostileBytes.frame(.request, kind: kind, id: id, body: body())
            return (frame, .error(.unknownMessageKind, mentioning: "message kind \(kind)"))
        default:
            return (silent(id: id), nil)
        }
    }

    /// A frame the server must swallow without answering.
    mutating func silent(id: UInt64) -> [UInt8] {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return HostileBytes.frame(.oneWay, kind: Self.echo, body: body())
        case 1: return HostileBytes.frame(.oneWay, kind: otherKind(), body: body())
        case 2:
            let frame = HostileBytes.frame(.oneWay, kind: Self.echo, body: body(atLeast: 1))
            return flipped(frame, at: Int.random(in: 32..<frame.count, using: &rng))
        case 3: return HostileBytes.frame(.response, kind: Self.echo, id: id, body: body())
        default:
            // An error answering a call the server never made: ignored, unlike one with id 0.
            return HostileBytes.frame(.error, id: id, body: HostileBytes.errorBody(.handlerFailed, "stray"))
        }
    }

    /// A frame that ends the connection.
    mutating func fatal() -> FatalFrame {
        switch Int.random(in: 0..<11, using: &rng) {
        case 0:
            let index = Int.random(in: 0..<32, using: &rng)
            let frame = flipped(HostileBytes.frame(.request, kind: Self.echo, id: 7, body: body()), at: index)
            return FatalFrame(
                name: "header byte \(index) flipped", bytes: frame,
                reaction: .error(.badFrame, mentioning: index < 4 ? "magic" : "header checksum"))
        case 1:
            var garbage = rng.bytes(Int.random(in: 32...256, using: &rng))
            garbage[0] = garbage[0] == 0x53 ? 0x54 : garbage[0]
            return FatalFrame(name: "garbage", bytes: garbage, reaction: .error(.badFrame, mentioning: "magic"))
        case 2:
            var magic = UInt32.random(in: .min ... .max, using: &rng)
            magic = magic == HostileBytes.magic ? 0 : magic
            let body = body()
            let header = HostileBytes.header(
                magic: magic, type: 3, kind: Self.echo, id: 9, bodyLength: UInt32(body.count),
                bodyCRC: CRC32C.checksum(body))
            return FatalFrame(name: "bad magic", bytes: header + body, reaction: .error(.badFrame, mentioning: "magic"))
        case 3: return oversize()
        case 4: return truncated()
        case 5:
            let garbage = rng.bytes(Int.random(in: 1...31, using: &rng))
            return FatalFrame(name: "short garbage", bytes: garbage, reaction: .silentClose, halfClose: true)
        default: return badRouting()
        }
    }

    private mutating func oversize() -> FatalFrame {
        let limit = UInt32(frameBytesMax - RPCFrameHeader.byteCount)
        let length = Bool.random(using: &rng) ? limit + 1 : UInt32.random(in: limit + 1 ... .max, using: &rng)
        let header = HostileBytes.header(type: 3, kind: Self.echo, id: 11, bodyLength: length, bodyCRC: 0)
        return FatalFrame(
            name: "body length \(length)", bytes: header + rng.bytes(Int.random(in: 0...64, using: &rng)),
            reaction: .error(.frameTooLarge, mentioning: "exceeds"))
    }

    private mutating func truncated() -> FatalFrame {
        let frame = HostileBytes.frame(.request, kind: Self.echo, id: 13, body: body(atLeast: 1))
        // Cutting right after the header is the case a decoder is most likely to miscount.
        let cut = Int.random(in: 0..<4, using: &rng) == 0 ? 32 : Int.random(in: 1..<frame.count, using: &rng)
        return FatalFrame(
            name: "frame cut at \(cut) of \(frame.count)", bytes: Array(frame[0..<cut]), reaction: .silentClose,
            halfClose: true)
    }

    /// Frames with a valid header CRC that route nowhere legal.
    private mutating func badRouting() -> FatalFrame {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0:
            let type = Bool.random(using: &rng) ? 0 : UInt8.random(in: 8 ... .max, using: &rng)
            let header = HostileBytes.header(type: type, bodyLength: 0, bodyCRC: 0)
            return FatalFrame(
                name: "frame type \(type)", bytes: header, reaction: .error(.badFrame, mentioning: "unknown frame type")
            )
        case 1:
            let version = UInt8.random(in: 2 ... .max, using: &rng)
            let header = HostileBytes.header(version: version, type: 3, bodyLength: 0, bodyCRC: 0)
            return FatalFrame(
                name: "version \(version)", bytes: header, reaction: .error(.badFrame, mentioning: "version"))
        case 2:
            return FatalFrame(
                name: "second hello", bytes: HostileBytes.hello(name: "again"),
                reaction: .error(.protocolViolation, mentioning: "hello"))
        case 3:
            return FatalFrame(
                name: "helloAck from a client", bytes: HostileBytes.frame(.helloAck, body: [0, 1, 0, 0]),
                reaction: .error(.protocolViolation, mentioning: "helloAck"))
        default:
            // A connection-level complaint: the server gives up on the connection without answering.
            let frame = HostileBytes.frame(.error, body: HostileBytes.errorBody(.badRequest, "go away"))
            return FatalFrame(name: "error with id 0", bytes: frame, reaction: .silentClose)
        }
    }
}
