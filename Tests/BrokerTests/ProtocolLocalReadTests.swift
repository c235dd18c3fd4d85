import Testing
import Wire

@testable import Broker

/// SpateLocalRead's codec: random requests and responses survive a round trip, and every cut or
/// corrupted frame is a typed `DecodeError`, never a trap.
@Suite struct ProtocolLocalReadTests {
    private static func randomText(_ random: inout RecordsRandom, countMax: Int) -> String {
        let count = Int.random(in: 0...countMax, using: &random)
        return String((0..<count).map { _ in "abcxyz/._-é0123456789".randomElement(using: &random)! })
    }

    private static func randomRequest(_ random: inout RecordsRandom) -> LocalReadRequest {
        LocalReadRequest(
            topic: randomText(&random, countMax: 40), partition: Int32.random(in: .min ... .max, using: &random),
            fetchOffset: Int64.random(in: .min ... .max, using: &random),
            maxBytes: Int32.random(in: .min ... .max, using: &random))
    }

    private static func randomResponse(_ random: inout RecordsRandom) -> LocalReadResponse {
        let regions = (0..<Int.random(in: 0...4, using: &random)).map { _ in
            LocalReadRegion(
                path: "/" + randomText(&random, countMax: 80), position: Int64.random(in: 0 ... .max, using: &random),
                count: Int32.random(in: 0 ... .max, using: &random))
        }
        return LocalReadResponse(
            errorCode: KafkaErrorCode(rawValue: Int16.random(in: -1...100, using: &random)),
            highWatermark: Int64.random(in: -1 ... .max, using: &random),
            logStartOffset: Int64.random(in: -1 ... .max, using: &random), hostToken: randomText(&random, countMax: 32),
            tokenPath: "/" + randomText(&random, countMax: 60), regions: regions)
    }

    @Test func randomRequestsRoundTrip() throws {
        var random = RecordsRandom(seed: RecordsRandom.seed(31))
        for _ in 0..<300 {
            let request = Self.randomRequest(&random)
            let clientId: String? = Bool.random(using: &random) ? nil : "executor-7"
            let frame = request.frame(clientId: clientId)
            // The size prefix counts the rest.
            #expect(Int(try ByteReader(frame).getInteger(at: 0, as: Int32.self)) == frame.count - 4)
            let (header, decoded) = try LocalReadRequest.decode(frame: Array(frame.dropFirst(4)))
            #expect(decoded == request)
            #expect(header.apiKey == 32000 && header.apiVersion == 0 && header.clientId == clientId)
        }
    }

    @Test func randomResponsesRoundTrip() throws {
        var random = RecordsRandom(seed: RecordsRandom.seed(32))
        for _ in 0..<300 {
            let response = Self.randomResponse(&random)
            let correlationId = Int32.random(in: .min ... .max, using: &random)
            let frame = Array(response.frame(correlationId: correlationId).dropFirst(4))
            // The client matches responses by the correlation id at offset 0, as for Kafka's v0 header.
            #expect(try KafkaResponseHeader.peekCorrelationId(frame) == correlationId)
            let decoded = try LocalReadResponse.decode(frame: frame)
            #expect(decoded.correlationId == correlationId && decoded.response == response)
            #expect(decoded.response.totalBytes == response.regions.reduce(0) { $0 + Int($1.count) })
        }
    }

    @Test func everyTruncationIsATypedError() {
        var random = RecordsRandom(seed: RecordsRandom.seed(33))
        for _ in 0..<40 {
            let request = Array(Self.randomRequest(&random).frame(clientId: "c").dropFirst(4))
            for cut in 0..<request.count {
                #expect(throws: DecodeError.self) { try LocalReadRequest.decode(frame: Array(request[..<cut])) }
            }
            let response = Array(Self.randomResponse(&random).frame(correlationId: 5).dropFirst(4))
            for cut in 0..<response.count {
                #expect(throws: DecodeError.self) { try LocalReadResponse.decode(frame: Array(response[..<cut])) }
            }
        }
    }

    @Test func garbageIsATypedErrorOrADecodeNeverATrap() {
        var random = RecordsRandom(seed: RecordsRandom.seed(34))
        for _ in 0..<2_000 {
            let garbage = random.bytes(Int.random(in: 0...120, using: &random))
            // Either outcome is fine; what matters is no trap and no hang.
            _ = try? LocalReadRequest.decode(frame: garbage)
            _ = try? LocalReadResponse.decode(frame: garbage)
        }
        // Extra bytes, another api key, and negative regions are refused.
        let request = Array(
            LocalReadRequest(topic: "t", partition: 0, fetchOffset: 0, maxBytes: 1).frame(clientId: nil))
        #expect(throws: DecodeError.self) { try LocalReadRequest.decode(frame: Array(request.dropFirst(4)) + [0]) }
        var otherKey = Array(request.dropFirst(4))
        otherKey[1] = 1
        #expect(throws: DecodeError.self) { try LocalReadRequest.decode(frame: otherKey) }
        let negative = LocalReadResponse(
            highWatermark: 1, logStartOffset: 0, hostToken: "t", tokenPath: "/p",
            regions: [LocalReadRegion(path: "/s", position: 0, count: -1)])
        #expect(throws: DecodeError.self) {
            try LocalReadResponse.decode(frame: Array(negative.frame(correlationId: 1).dropFirst(4)))
        }
    }
}
