import Testing

@testable import Query

/// The paths that read eight bytes at a time: digits, the remembered key at a record's end and
/// the copy of short strings, at every length around their word boundaries and with the value
/// ending exactly where the record ends (where a wrong over-read would show).
@Suite struct FormatJSONWordPathTests {
    static let schema = Schema([
        Field("i", .int64), Field("s", .string), Field("long_key", .int64), Field("abcde", .int64),
    ])
    static let decoder = FormatFixture.decoder(schema)

    /// Decimal text of `count` digits from a seeded generator, first digit not zero.
    static func digits(_ count: Int, _ random: inout FormatTestRandom) -> String {
        String(
            (0..<count).map { index in
                Character(
                    String(index == 0 ? Int.random(in: 1...9, using: &random) : Int.random(in: 0...9, using: &random)))
            })
    }

    @Test func integersOfEveryLengthMatchTheStandardParser() {
        var random = FormatTestRandom(seed: 7)
        for count in 1...19 {
            for sign in ["", "-"] {
                let text = sign + Self.digits(count, &random)
                let expected = Int64(text).map(Value.int64)
                for json in ["{\"i\":\(text)}", "{\"i\":\(text),\"s\":\"abcdefghij\"}", "{\"i\":\(text)  }"] {
                    let row = FormatFixture.outcome(Self.decoder, json).row
                    if let expected {
                        #expect(row?[0] == expected, "\(json)")
                    } else {
                        #expect(row == nil, "\(json) is out of range")
                    }
                }
            }
        }
        #expect(FormatFixture.outcome(Self.decoder, "{\"i\":9223372036854775807}").row?[0] == .int64(.max))
        #expect(FormatFixture.outcome(Self.decoder, "{\"i\":-9223372036854775808}").row?[0] == .int64(.min))
        #expect(FormatFixture.outcome(Self.decoder, "{\"i\":12345678x}").reason != nil)
        #expect(FormatFixture.outcome(Self.decoder, "{\"i\":0123}").reason != nil)
        #expect(FormatFixture.outcome(Self.decoder, "{\"i\":123456789012.5e0}").reason != nil)
    }

    @Test func rememberedKeysAtTheRecordsEndStillMustMatchExactly() {
        // Fewer than 16 bytes follow the last key, so it is compared from the record's end: each
        // record's last key is remembered from the one before, and the third differs in its last letter.
        let records = [
            "{\"s\":\"a\",\"long_key\":1}", "{\"s\":\"b\",\"long_key\":2}", "{\"s\":\"c\",\"long_kez\":3}",
            "{\"s\":\"d\",\"abcde\":4}", "{\"s\":\"e\",\"abcde\":5}", "{\"s\":\"f\",\"abcdf\":6}",
        ]
        let decoded = FormatFixture.decode(Self.decoder, records)
        #expect(decoded.batch.row(0) == [.null, .string("a"), .int64(1), .null])
        #expect(decoded.batch.row(1) == [.null, .string("b"), .int64(2), .null])
        #expect(decoded.batch.row(2) == [.null, .string("c"), .null, .null])
        #expect(decoded.batch.row(3) == [.null, .string("d"), .null, .int64(4)])
        #expect(decoded.batch.row(4) == [.null, .string("e"), .null, .int64(5)])
        #expect(decoded.batch.row(5) == [.null, .string("f"), .null, .null])
    }

    @Test func rememberedSeparatorsAndKeysAcceptExactlyWhatScanningWould() {
        // One batch, so each record meets the separators and keys the ones before it left.
        let records = [
            "{\"s\":\"a\",\"i\":1}", "{\"s\":\"b\" , \"i\":2}", "{\"s\":\"c\",\"i\":3}", "{\"s\":\"d\",,\"i\":4}",
            "{\"s\":\"e\",\"i\":5,}", "{\"s\":\"f\" \"i\":6}", "{\"s\":\"g\",\"i\":7 }", "{\"s\":\"h\",\"i\":8",
            "{\"s\":\"i\",\"i\":9}",
        ]
        let decoded = FormatFixture.decode(Self.decoder, records)
        #expect(decoded.batch.rowCount == 5)
        #expect((0..<decoded.batch.rowCount).map { decoded.batch.row($0)[0] } == [1, 2, 3, 7, 9].map(Value.int64))
        #expect(decoded.deadLetters.map(\.offset) == [103, 104, 105, 107])
        #expect(
            decoded.deadLetters.map(\.reason) == [
                .malformed("expected a string key at byte 9"), .malformed("expected a string key at byte 15"),
                .malformed("expected ',' or '}' at byte 9"),
                .malformed("unexpected end of input in the object at byte 14"),
            ])
    }

    @Test func stringsOfEveryShortLengthCopyWhole() {
        let texts = (0...40).map { length in String((0..<length).map { Character(UnicodeScalar(0x61 + $0 % 26)!) }) }
        let decoded = FormatFixture.decode(Self.decoder, texts.map { "{\"s\":\"\($0)\"}" })
        #expect(decoded.batch.rowCount == texts.count)
        for (row, text) in texts.enumerated() { #expect(decoded.batch.row(row)[1] == .string(text)) }
    }
}
