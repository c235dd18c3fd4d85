import Testing
import Wire

@testable import Broker

/// Hostile input: decoders must throw, never trap, and never loop or allocate without bound.
@Suite(.dedicatedThread) struct ProtocolRobustnessTests {
    /// A deterministic generator, so a failure replays from its printed seed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func everyStrictPrefixOfARequestFixtureThrows() throws {
        for fixture in try FixtureFiles.requests() {
            for length in 0..<fixture.bytes.count {
                let prefix = Array(fixture.bytes.prefix(length))
                #expect(throws: KafkaRequestError.self, "\(fixture) cut at \(length)") {
                    try KafkaRequest.decode(frame: prefix, versions: .recommendedWithFlexibleApiVersions)
                }
            }
        }
    }

    @Test func everyStrictPrefixOfAResponseFixtureThrows() throws {
        for fixture in try FixtureFiles.responses() {
            for length in 0..<fixture.bytes.count {
                var reader = ByteReader(Array(fixture.bytes.prefix(length)))
                #expect(throws: DecodeError.self, "\(fixture) cut at \(length)") {
                    _ = try KafkaResponseHeader.decode(from: &reader, apiKey: fixture.apiKey, version: fixture.version)
                    _ = try KafkaResponse.decodeBody(fixture.apiKey, version: fixture.version, from: &reader)
                }
            }
        }
    }

    /// Seeded byte flips, boundary values, cuts and insertions over every fixture. Whatever decodes
    /// must re-encode to bytes that decode to the same value (the codec is a fixed point there).
    @Test func randomMutationsDecodeOrThrow() throws {
        let seed: UInt64 = 0x5EA7_C0DE
        var rng = SplitMix64(state: seed)
        let fixtures = try FixtureFiles.all()
        var decodedCount = 0
        for round in 0..<80 {
            for fixture in fixtures {
                let mutated = mutate(fixture.bytes, using: &rng)
                let context = "seed \(seed) round \(round) \(fixture): \(mutated)"
                let ok =
                    fixture.isRequest
                    ? checkRequest(mutated, context: context) : checkResponse(mutated, like: fixture, context: context)
                if ok { decodedCount += 1 }
            }
        }
        // Some mutations (e.g. inside opaque record bytes) must still decode, or the test is vacuous.
        #expect(decodedCount > 100, "seed \(seed): only \(decodedCount) mutated frames decoded")
    }

    /// Huge counts and lengths are refused from the bytes present, before anything is allocated.
    @Test func hostileCountsAreRefusedCheaply() {
        // Metadata v8 request claiming 2^31-1 topics.
        let frame: [UInt8] = [0, 3, 0, 8, 0, 0, 0, 1, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0]
        #expect(throws: KafkaRequestError.self) { try KafkaRequest.decode(frame: frame) }
        // ApiVersions v3 response claiming 2^32-2 entries in a compact array.
        let compact: [UInt8] = [0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0, 0]
        #expect(throws: DecodeError.self) { try ApiVersionsResponse.decode(bytes: compact, version: 3) }
        // Tagged-field section claiming 2^31 fields.
        let tagged: [UInt8] = [0, 18, 0, 3, 0, 0, 0, 1, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x08]
        #expect(throws: KafkaRequestError.self) {
            try KafkaRequest.decode(frame: tagged, versions: .recommendedWithFlexibleApiVersions)
        }
    }

    private func checkRequest(_ frame: [UInt8], context: String) -> Bool {
        guard
            let (header, request) = try? KafkaRequest.decode(
                frame: frame, versions: .recommendedWithFlexibleApiVersions)
        else { return false }
        let again = KafkaFrame.request(
            request, version: header.apiVersion, correlationId: header.correlationId, clientId: header.clientId)
        let reread = try? KafkaRequest.decode(
            frame: Array(again.dropFirst(4)), versions: .recommendedWithFlexibleApiVersions, strict: true)
        #expect(reread?.request == request, "re-encoded request changed: \(context)")
        return true
    }

    private func checkResponse(_ frame: [UInt8], like fixture: Fixture, context: String) -> Bool {
        var reader = ByteReader(frame)
        guard (try? KafkaResponseHeader.decode(from: &reader, apiKey: fixture.apiKey, version: fixture.version)) != nil,
            let response = try? KafkaResponse.decodeBody(fixture.apiKey, version: fixture.version, from: &reader)
        else { return false }
        // Fetch writes nil records as empty (G6), so compare the bytes of a second encoding
        // rather than values.
        var first = ByteWriter()
        response.encode(into: &first, version: fixture.version)
        var rereader = ByteReader(first.bytes)
        let reread = try? KafkaResponse.decodeBody(fixture.apiKey, version: fixture.version, from: &rereader)
        var second = ByteWriter()
        reread?.encode(into: &second, version: fixture.version)
        #expect(second.bytes == first.bytes, "re-encoded response changed: \(context)")
        return true
    }

    private func mutate(_ bytes: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !out.isEmpty else { break }
            let at = Int.random(in: 0..<out.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: out[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1: out[at] = [0x00, 0x7f, 0x80, 0xff].randomElement(using: &rng) ?? 0
            case 2: out[at] = UInt8.random(in: 0...255, using: &rng)
            case 3: out.removeSubrange(at..<out.count)
            case 4: out.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            default: out.remove(at: at)
            }
        }
        return out
    }
}
