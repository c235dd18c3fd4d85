import Testing

@testable import Query

/// Rows kept and records dropped in every order, including records that fail after some of their
/// strings were copied: the columns hold exactly the kept rows' values, checked against values
/// the test wrote into the JSON itself.
@Suite struct FormatRowKeepTests {
    /// a, c, d, f are strings (x is not decoded); f and e refuse null, n takes only integers.
    static let schema = Schema([
        Field("a", .string), Field("n", .int64), Field("c", .string), Field("x", .string), Field("d", .string),
        Field("e", .int64, nullable: false), Field("f", .string, nullable: false),
    ])
    static let decoder = FormatFixture.decoder(schema, columns: [0, 1, 2, 4, 5, 6])

    /// How a generated record ends.
    enum Fate: CaseIterable {
        case kept, badN, missingE, nullF, malformed, tombstone, invalidUTF8

        var tag: String? {
            switch self {
            case .kept: nil
            case .badN, .missingE, .nullF: "bad_value"
            case .malformed: "malformed"
            case .tombstone: "null_value"
            case .invalidUTF8: "invalid_utf8"
            }
        }
    }

    /// A string field as JSON member text (nil: the key is absent) and its value.
    static func stringField(_ name: String, _ random: inout FormatTestRandom) -> (json: String?, value: Value) {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return (nil, .null)
        case 1: return ("\"\(name)\":null", .null)
        case 2: return ("\"\(name)\":\"\"", .string(""))
        case 3: return ("\"\(name)\":\"q\\\"\\n\\u00e9\"", .string("q\"\né"))
        default:
            let letters = (0..<Int.random(in: 1...20, using: &random)).map { _ in
                Character(UnicodeScalar(UInt8.random(in: 97...122, using: &random)))
            }
            return ("\"\(name)\":\"\(String(letters))\"", .string(String(letters)))
        }
    }

    /// One record of fate `fate`: its bytes (nil for a tombstone) and, when kept, its row.
    static func record(_ fate: Fate, _ random: inout FormatTestRandom) -> (bytes: [UInt8]?, row: [Value]) {
        let a = stringField("a", &random)
        let c = stringField("c", &random)
        let d = stringField("d", &random)
        let n = Int64.random(in: -1000...1000, using: &random)
        let e = Int64.random(in: 0...1_000_000, using: &random)
        var f = stringField("f", &random)
        if f.value == .null { f = ("\"f\":\"F\"", .string("F")) }
        var members = [a.json, c.json, d.json, fate == .nullF ? "\"f\":null" : f.json].compactMap { $0 }
        members.append(fate == .badN ? "\"n\":\"nope\"" : "\"n\":\(n)")
        if fate != .missingE { members.append("\"e\":\(e)") }
        members.append("\"x\":\"ignored\"")
        var memberBytes = members.map { Array($0.utf8) }
        if fate == .invalidUTF8 { memberBytes.append(Array("\"y\":\"".utf8) + [0xFF, UInt8(ascii: "\"")]) }
        memberBytes.shuffle(using: &random)
        var bytes =
            [UInt8(ascii: "{")] + Array(memberBytes.joined(separator: [UInt8(ascii: ",")])) + [UInt8(ascii: "}")]
        switch fate {
        case .tombstone: return (nil, [])
        case .malformed: bytes.removeLast()
        default: break
        }
        return (bytes, [a.value, .int64(n), c.value, d.value, .int64(e), f.value])
    }

    @Test func keptAndDroppedRowsInAnyOrderLeaveExactlyTheKeptValues() throws {
        for seed in UInt64(1)...300 {
            var random = FormatTestRandom(seed: seed)
            let count = Int.random(in: 1...40, using: &random)
            // Runs of one fate are likelier than uniform picks, so a batch may open or end with drops.
            let runFate = Fate.allCases.randomElement(using: &random)!
            let fates = (0..<count).map { _ in
                Bool.random(using: &random) ? runFate : Fate.allCases.randomElement(using: &random)!
            }
            let records = fates.map { Self.record($0, &random) }
            let decoded = FormatFixture.decode(Self.decoder, records.map(\.bytes))
            let keptIndexes = fates.indices.filter { fates[$0] == .kept }
            let expectedRows = keptIndexes.map { records[$0].row }
            #expect(decoded.recordIndexes == keptIndexes, "seed \(seed)")
            #expect(decoded.batch.rows == expectedRows, "seed \(seed)")
            for (output, column) in decoded.batch.columns.enumerated() where column.type == .string {
                let bytes = expectedRows.flatMap { row -> [UInt8] in
                    if case .string(let text) = row[output] { Array(text.utf8) } else { [] }
                }
                #expect(column.strings.bytes == bytes, "seed \(seed), column \(output)")
            }
            let dropped = fates.indices.filter { fates[$0] != .kept }
            #expect(decoded.deadLetters.map(\.offset) == dropped.map { 100 + Int64($0) }, "seed \(seed)")
            #expect(decoded.deadLetters.map(\.reason.tag) == dropped.map { fates[$0].tag }, "seed \(seed)")
        }
    }
}
