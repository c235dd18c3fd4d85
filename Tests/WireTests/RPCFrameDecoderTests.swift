import Foundation
import Testing

@testable import Wire

/// A fresh seed per run (replayable through SPATE_TEST_SEED), so repeated CI runs cover more inputs.
func testSeed() -> UInt64 { BytesTestRandom.seed(UInt64.random(in: 1...UInt64.max)) }

@Suite(.dedicatedThread) struct RPCFrameDecoderTests {
    static let limit = 4 << 20

    func randomFrame(_ rng: inout BytesTestRandom) -> RPCFrame {
        let sizes = [0, 1, 31, 32, 33, 1000, 65_535, 65_536, 70_000, 300_000]
        let size = sizes[Int(rng.next() % UInt64(sizes.count))]
        let body = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let types: [RPCFrameType] = [.request, .response, .oneWay, .error]
        let type = types[Int(rng.next() % 4)]
        let header = RPCFrame.header(
            type: type, messageKind: UInt16(truncatingIfNeeded: rng.next()), correlationId: rng.next(), body: body)
        return RPCFrame(header: header, body: body)
    }

    func encode(_ frame: RPCFrame) -> [UInt8] {
        var writer = ByteWriter()
        frame.header.encode(into: &writer)
        writer.writeBytes(frame.body)
        return writer.bytes
    }

    func drain(_ decoder: inout RPCFrameDecoder) throws -> [RPCFrame] {
        var frames: [RPCFrame] = []
        while let frame = try decoder.next() { frames.append(frame) }
        return frames
    }

    @Test func headerRoundTripsEveryField() throws {
        var rng = BytesTestRandom(seed: 7)
        for _ in 0..<1000 {
            let header = RPCFrameHeader(
                type: RPCFrameType.allCases[Int(rng.next() % 7)], messageKind: UInt16(truncatingIfNeeded: rng.next()),
                correlationId: rng.next(), bodyLength: UInt32(rng.next() % 1000),
                bodyCRC: UInt32(truncatingIfNeeded: rng.next()),
                flags: UInt16(truncatingIfNeeded: rng.next()))
            var writer = ByteWriter()
            header.encode(into: &writer)
            #expect(writer.count == RPCFrameHeader.byteCount)
            #expect(try RPCFrameHeader.decode(writer.bytes, at: 0, frameBytesMax: Self.limit) == header)
        }
    }

    @Test func headerLayoutIsBigEndianAtDocumentedOffsets() {
        var writer = ByteWriter()
        RPCFrameHeader(type: .request, messageKind: 0x0102, correlationId: 0x0304, bodyLength: 5, bodyCRC: 0x0607)
            .encode(into: &writer)
        let bytes = writer.bytes
        #expect(Array(bytes[0..<4]) == Array("SPTE".utf8))
        #expect(bytes[4] == 1 && bytes[5] == RPCFrameType.request.rawValue)
        #expect(Array(bytes[8..<10]) == [0x01, 0x02])
        #expect(Array(bytes[12..<20]) == [0, 0, 0, 0, 0, 0, 0x03, 0x04])
        #expect(Array(bytes[20..<24]) == [0, 0, 0, 5])
        #expect(Array(bytes[24..<28]) == [0, 0, 0x06, 0x07])
        let crc = CRC32C.checksum(Array(bytes[0..<28]))
        #expect(
            Array(bytes[28..<32]) == [
                UInt8(crc >> 24), UInt8((crc >> 16) & 0xff), UInt8((crc >> 8) & 0xff), UInt8(crc & 0xff),
            ])
    }

    @Test func framesFedOneByteAtATimeDecodeIdentically() throws {
        let seed = testSeed()
        var rng = BytesTestRandom(seed: seed)
        let frames = (0..<12).map { _ in randomFrame(&rng) }
        var decoder = RPCFrameDecoder(frameBytesMax: Self.limit)
        var decoded: [RPCFrame] = []
        for frame in frames {
            for byte in encode(frame) {
                decoder.feed([byte])
                decoded += try drain(&decoder)
            }
        }
        #expect(decoded == frames, "seed \(seed)")
        #expect(!decoder.hasPartialFrame)
    }

    @Test func framesFedInRandomChunksDecodeIdentically() throws {
        let seed = testSeed()
        var rng = BytesTestRandom(seed: seed)
        for _ in 0..<20 {
            let frames = (0..<8).map { _ in randomFrame(&rng) }
            let stream = frames.flatMap(encode)
            var decoder = RPCFrameDecoder(frameBytesMax: Self.limit)
            var decoded: [RPCFrame] = []
            var offset = 0
            while offset < stream.count {
                let length = min(stream.count - offset, Int(rng.next() % 200_000) + 1)
                decoder.feed(Array(stream[offset..<offset + length]))
                decoded += try drain(&decoder)
                offset += length
            }
            #expect(decoded == frames, "seed \(seed)")
        }
    }

    @Test func everyStrictPrefixNeedsMoreData() throws {
        var rng = BytesTestRandom(seed: 11)
        for size in [0, 10, 70_000] {
            let body = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let bytes = RPCFrame.encode(type: .request, messageKind: 3, correlationId: 9, body: body)
            for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 500)) {
                var decoder = RPCFrameDecoder(frameBytesMax: Self.limit)
                decoder.feed(Array(bytes[0..<cut]))
                #expect(try decoder.next() == nil)
                #expect(decoder.hasPartialFrame == (cut > 0))
            }
        }
    }

    @Test func oversizedFrameIsRefusedFromItsHeader() {
        var decoder = RPCFrameDecoder(frameBytesMax: 1024)
        var writer = ByteWriter()
        RPCFrameHeader(type: .request, bodyLength: 1024 - 31).encode(into: &writer)
        decoder.feed(writer.bytes)
        #expect(throws: RPCFrameError.frameTooLarge(bytes: 1025, limit: 1024)) { try decoder.next() }
    }

    @Test func everyFlippedHeaderByteIsCaught() {
        let bytes = RPCFrame.encode(type: .request, messageKind: 1, correlationId: 5, body: [1, 2, 3])
        for index in 0..<RPCFrameHeader.byteCount {
            for bit in 0..<8 {
                var mutated = bytes
                mutated[index] ^= UInt8(1 << bit)
                var decoder = RPCFrameDecoder(frameBytesMax: Self.limit)
                decoder.feed(mutated)
                do {
                    _ = try decoder.next()
                    Issue.record("flipping bit \(bit) of header byte \(index) went unnoticed")
                } catch {
                    #expect(!error.isRecoverable)
                }
            }
        }
    }

    @Test func badBodyIsSkippedAndTheStreamGoesOn() throws {
        var first = RPCFrame.encode(type: .request, messageKind: 1, correlationId: 1, body: [1, 2, 3, 4])
        first[RPCFrameHeader.byteCount + 2] ^= 0xff
        let second = RPCFrame.encode(type: .request, messageKind: 1, correlationId: 2, body: [9])
        var decoder = RPCFrameDecoder(frameBytesMax: Self.limit)
        decoder.feed(first + second)
        do {
            _ = try decoder.next()
            Issue.record("a corrupted body was accepted")
        } catch {
            #expect(error.isRecoverable)
            guard case .bodyChecksum(let header, _, _) = error else { return }
            #expect(header.correlationId == 1)
        }
        #expect(try decoder.next()?.header.correlationId == 2)
    }

    @Test func omittedChecksumIsNotVerified() throws {
        let body = [UInt8](repeating: 5, count: 100_000)
        let header = RPCFrame.header(
            type: .request, messageKind: 1, correlationId: 3, body: body, flags: RPCFrameHeader.flagBodyChecksumOmitted)
        #expect(header.bodyCRC == 0 && !header.bodyChecksummed)
        var decoder = RPCFrameDecoder(frameBytesMax: Self.limit)
        decoder.feed(encode(RPCFrame(header: header, body: body)))
        #expect(try decoder.next()?.body == body)
    }

    @Test func randomBytesNeverTrap() {
        let seed = testSeed()
        var rng = BytesTestRandom(seed: seed)
        let valid = RPCFrame.encode(type: .request, messageKind: 1, correlationId: 1, body: [1, 2, 3])
        var outcomes = (frames: 0, errors: 0, needMore: 0)
        for round in 0..<100_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(rng.next() % 80)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = valid
                for _ in 0..<(1 + rng.next() % 3) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            var decoder = RPCFrameDecoder(frameBytesMax: 1 << 16)
            decoder.feed(bytes)
            do {
                if try decoder.next() != nil { outcomes.frames += 1 } else { outcomes.needMore += 1 }
            } catch {
                outcomes.errors += 1
            }
        }
        #expect(outcomes.frames + outcomes.errors + outcomes.needMore == 100_000, "seed \(seed)")
        #expect(outcomes.errors > 50_000, "seed \(seed): \(outcomes)")
    }
}
