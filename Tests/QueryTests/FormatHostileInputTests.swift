import Testing

@testable import Query

/// Random and mutated bytes through every decoder: each record gets exactly one outcome (a row
/// or a dead letter), rows stay in source order, and nothing traps or hangs.
@Suite struct FormatHostileInputTests {
    static let schema = Schema([
        Field("ts", .timestamp), Field("ip", .string), Field("status", .int64), Field("d", .double),
        Field("b", .bool), Field("user_agent", .string), Field("bytes", .int64), Field("url", .string),
    ])

    static let formats: [SourceFormat] = [.json, .csv(delimiter: UInt8(ascii: ","), hasHeader: true), .combinedLog]

    static let samples: [String] = [
        "{\"ts\":1796008657000,\"ip\":\"1.2.3.4\",\"status\":200,\"d\":0.5,\"b\":true,\"user_agent\":\"x\\u00e9\"}",
        "2026-11-30T03:17:37Z,1.2.3.4,200,0.5,true,\"a \"\"b\"\"\",12,/",
        "1.2.3.4 - - [30/Nov/2026:03:17:37 +0000] \"GET / HTTP/1.1\" 200 12 \"-\" \"ua \\\"q\\\"\"",
    ]

    @Test func everyRecordGetsExactlyOneOutcome() {
        var random = FormatTestRandom(seed: 0xBAD)
        for format in Self.formats {
            for eventTime in [nil, 0] as [Int?] {
                let decoder = FormatFixture.decoder(Self.schema, format: format, eventTime: eventTime)
                var values: [[UInt8]?] = []
                for _ in 0..<1_500 { values.append(Self.hostileValue(&random)) }
                let decoded = FormatFixture.decode(decoder, values)
                #expect(decoded.batch.rowCount + decoded.deadLetters.count == values.count, "seed 0xBAD, \(format)")
                let dead = Set(decoded.deadLetters.map { Int($0.offset - 100) })
                #expect(Set(decoded.recordIndexes).isDisjoint(with: dead))
                #expect(decoded.recordIndexes == decoded.recordIndexes.sorted())
                #expect(decoded.deadLetters.allSatisfy { $0.raw == (values[Int($0.offset - 100)] ?? []) })
            }
        }
    }

    static func hostileValue(_ random: inout FormatTestRandom) -> [UInt8]? {
        switch random.next() % 6 {
        case 0: return nil
        case 1:
            return (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        default:
            var bytes = Array(samples.randomElement(using: &random)!.utf8)
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                guard !bytes.isEmpty else { break }
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch random.next() % 4 {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(Array("{}[]\",:\\ -\n".utf8).randomElement(using: &random)!, at: position)
                default: bytes = Array(bytes[..<position])
                }
            }
            return bytes
        }
    }
}
