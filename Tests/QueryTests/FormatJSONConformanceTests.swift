import Foundation
import Testing

@testable import Query

/// A JSON conformance corpus in the style of JSONTestSuite: documents that must decode, that must
/// be malformed, and that must be refused as not UTF-8. Values sit in an object (records must be
/// objects) under the key `v`, which decodes as STRING so every kind of value shows its text.
@Suite struct FormatJSONConformanceTests {
    static let decoder = FormatFixture.decoder(Schema([Field("v", .string)]))

    static func outcome(_ bytes: [UInt8]) -> Result<[Value], ReasonError> { FormatFixture.outcome(decoder, bytes) }

    /// Valid documents and what `v` must decode to (raw JSON text for non-strings, as Spark does).
    static let valid: [(String, Value)] = [
        ("{}", .null),
        ("{\"v\":null}", .null),
        (" \t\r\n{ \t\r\n\"v\" \t\r\n: \t\r\n\"x\" \t\r\n} \t\r\n", .string("x")),
        ("{\"v\":\"\"}", .string("")),
        ("{\"v\":[]}", .string("[]")),
        ("{\"v\":{}}", .string("{}")),
        ("{\"v\":[1, \"a\" ,null,true,false,{\"x\":[]}]}", .string("[1, \"a\" ,null,true,false,{\"x\":[]}]")),
        ("{\"v\":0}", .string("0")),
        ("{\"v\":-0}", .string("-0")),
        ("{\"v\":1E22}", .string("1E22")),
        ("{\"v\":-1.5e+3}", .string("-1.5e+3")),
        ("{\"v\":1e-2}", .string("1e-2")),
        ("{\"v\":0.0000001}", .string("0.0000001")),
        ("{\"v\":123456789012345678901234567890}", .string("123456789012345678901234567890")),
        ("{\"v\":1e999}", .string("1e999")),
        ("{\"v\":true}", .string("true")),
        ("{\"v\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", .string("\"\\/\u{08}\u{0C}\n\r\t")),
        ("{\"v\":\"\\u0041\\u00e9\\u00E9\"}", .string("Aéé")),
        ("{\"v\":\"\\ud83d\\ude00\"}", .string("😀")),
        ("{\"v\":\"\\uD834\\uDD1E\"}", .string("𝄞")),
        ("{\"v\":\"\\u0000\"}", .string("\u{0}")),
        ("{\"v\":\"\\uffff\"}", .string("\u{FFFF}")),
        ("{\"v\":\"é😀日本\u{7F}\"}", .string("é😀日本\u{7F}")),
        ("{\"v\":\"a\",\"v\":\"b\"}", .string("b")),
        ("{\"\\u0076\":\"escaped key\"}", .string("escaped key")),
        ("{\"a\":{\"b\":[1,2,{\"c\":\"d\"}]},\"v\":1,\"e\":null}", .string("1")),
        ("{\"v\":\"\(String(repeating: "long ", count: 400))\"}", .string(String(repeating: "long ", count: 400))),
    ]

    /// Documents that are not one JSON object.
    static let malformed: [String] = [
        "", " ", "[]", "1", "\"v\"", "null", "{", "}", "{\"v\"}", "{\"v\":}", "{\"v\" 1}", "{v:1}", "{'v':1}",
        "{\"v\":1,}", "{,\"v\":1}", "{\"v\":1}}", "{\"v\":1}x", "{\"v\":1} {}", "{\"v\":1 \"w\":2}",
        "{\"v\":01}", "{\"v\":-01}", "{\"v\":1.}", "{\"v\":.5}", "{\"v\":-}", "{\"v\":1e}", "{\"v\":1e+}", "{\"v\":+1}",
        "{\"v\":0x10}", "{\"v\":NaN}", "{\"v\":Infinity}", "{\"v\":-Infinity}", "{\"v\":tru}", "{\"v\":True}",
        "{\"v\":nul}", "{\"v\":nulll}", "{\"v\":[1,]}", "{\"v\":[,1]}", "{\"v\":[1 2]}", "{\"v\":{\"a\"}}",
        "{\"v\":{\"a\":1,}}", "{\"v\":[}", "{\"v\":{]}", "{\"v\":[1}", "{\"v\":\"\\x\"}", "{\"v\":\"\\u12\"}",
        "{\"v\":\"\\u123g\"}", "{\"v\":\"\\ud800\"}", "{\"v\":\"\\udc00\"}", "{\"v\":\"\\ud800\\u0041\"}",
        "{\"v\":\"\\ud800x\"}", "{\"v\":\"\\ud800\\ud800\"}", "{\"v\":\"a\tb\"}", "{\"v\":\"a\nb\"}",
        "{\"v\":\"a\u{0}b\"}", "{\"v\":\"abc", "{\"v\":'x'}", "{/* c */\"v\":1}", "{\"v\":1}//", "\u{FEFF}{\"v\":1}",
        "{\"v\":1}\u{0C}", "\u{0}{\"v\":1}", "{\"v\":[\"a\"\"b\"]}", "{\"v\":1}\u{0}", "{\"v\":\"\\\"}",
        "{\"a\":{\"b\":1,\"c\"}}", "{\"a\" : [1, {\"b\" : }]}",
    ]

    /// Byte sequences that are not UTF-8, inside a string and outside.
    static let notUTF8: [[UInt8]] = [
        [0xFF], [0x80], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF], [0xED, 0xA0, 0x80],
        [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xC2],
        [0xF0, 0x9F, 0x98],
    ]

    @Test func validDocumentsDecode() {
        for (document, expected) in Self.valid {
            #expect(Self.outcome(Array(document.utf8)).row == [expected], "\(document.prefix(80))")
        }
    }

    @Test func malformedDocumentsAreDeadLetters() {
        for document in Self.malformed {
            let outcome = Self.outcome(Array(document.utf8))
            #expect(outcome.tag == "malformed", "\(document.debugDescription.prefix(80)): \(outcome)")
        }
    }

    @Test func malformedDetailsSayWhatAndWhere() {
        #expect(Self.outcome(Array("{\"v\":1,}".utf8)).reason == .malformed("expected a string key at byte 7"))
        #expect(
            Self.outcome(Array("{\"v\":1}x".utf8)).reason == .malformed("unexpected text after the object at byte 7"))
        #expect(
            Self.outcome(Array("{\"v\":\"ab".utf8)).reason
                == .malformed("unexpected end of input in a string at byte 8"))
        #expect(Self.outcome(Array("{\"v\":01}".utf8)).reason == .malformed("leading zero in a number at byte 6"))
        #expect(Self.outcome(Array("[1]".utf8)).reason == .malformed("the record is not a JSON object at byte 0"))
        #expect(
            Self.outcome(Array("{\"v\":\"\\ud800\"}".utf8)).reason
                == .malformed("high surrogate without a low surrogate at byte 12"))
    }

    @Test func bytesThatAreNotUTF8AreRefusedAsSuch() {
        for sequence in Self.notUTF8 {
            let inString = Array("{\"v\":\"a".utf8) + sequence + Array("b\"}".utf8)
            #expect(Self.outcome(inString).tag == "invalid_utf8", "\(sequence) in a string")
            let afterObject = Array("{\"v\":1}".utf8) + sequence
            #expect(Self.outcome(afterObject).tag == "invalid_utf8", "\(sequence) after the object")
            let inUnwantedKey = Array("{\"k".utf8) + sequence + Array("\":1,\"v\":2}".utf8)
            #expect(Self.outcome(inUnwantedKey).tag == "invalid_utf8", "\(sequence) in a key")
        }
        // Valid UTF-8 outside a string is malformed JSON, not an encoding problem.
        #expect(Self.outcome(Array("{é:1}".utf8)).tag == "malformed")
    }

    @Test func nestingIsLimited() {
        let limit = JSONLimits.nestingDepthMax
        func nested(_ count: Int, _ open: String, _ close: String) -> [UInt8] {
            let inner = String(repeating: open, count: count) + "1" + String(repeating: close, count: count)
            return Array(("{\"v\":" + inner + "}").utf8)
        }
        // The record's object is one level, so limit - 1 nested containers fit.
        #expect(Self.outcome(nested(limit - 1, "[", "]")).row != nil)
        #expect(Self.outcome(nested(limit, "[", "]")).reason?.detailText.hasPrefix("nesting too deep") == true)
        #expect(Self.outcome(nested(limit - 1, "{\"a\":", "}")).row != nil)
        #expect(Self.outcome(nested(limit, "{\"a\":", "}")).reason?.detailText.hasPrefix("nesting too deep") == true)
        let deep = Array("{\"v\":".utf8) + [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(Self.outcome(deep).tag == "malformed")
    }

    /// Every strict prefix of a valid record is malformed (the fields before the cut do not make
    /// it a row), or not UTF-8 when the cut splits a character.
    @Test func truncationAtEveryByteIsMalformed() {
        let records = [
            "{\"ts\":1796008657000,\"ip\":\"10.0.0.1\",\"user_id\":\"u1\",\"status\":200}",
            "{\"v\":\"é😀\\u00e9\\ud83d\\ude00\",\"n\":[1,{\"a\":-1.5e3}],\"t\":true,\"f\":false,\"z\":null}",
        ]
        for record in records {
            let bytes = Array(record.utf8)
            #expect(Self.outcome(bytes).row != nil)
            for cut in 0..<bytes.count {
                let prefix = Array(bytes[..<cut])
                let expected = String(validating: prefix, as: UTF8.self) == nil ? "invalid_utf8" : "malformed"
                #expect(Self.outcome(prefix).tag == expected, "cut at \(cut) of \(record)")
            }
        }
    }

    /// Random mutations of valid records: our verdict (row or dead letter) matches Foundation's
    /// parser on whether the text is one JSON object. Where Foundation departs from RFC 8259 we
    /// hold to the RFC: it accepts trailing commas (`[1,]`), which we refuse, and refuses numbers
    /// beyond a Double's range (`1e57000`), which JSON allows.
    @Test func agreesWithFoundationOnMutatedRecords() throws {
        let seeds = [
            "{\"ts\":1796008657000,\"ip\":\"10.0.0.1\",\"v\":[1,2.5,{\"a\":\"b\"}],\"ok\":true,\"no\":null}",
            "{\"v\":\"caf\\u00e9 \\\"q\\\"\",\"n\":-0.5e-3,\"list\":[[],{}]}",
        ]
        let alphabet = Array("{}[]\":,\\ 0123456789.eE+-tfnul\"ax".utf8) + [0x00, 0x09, 0x0A, 0x7F, 0xC3, 0xA9, 0xFF]
        var random = FormatTestRandom(seed: 0x0F22)
        var disagreements: [String] = []
        for iteration in 0..<3_000 {
            var bytes = Array(seeds[iteration % seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[position] = alphabet.randomElement(using: &random)!
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
                }
                if bytes.isEmpty { bytes = [UInt8(ascii: "{")] }
            }
            let ours = Self.outcome(bytes).row != nil
            var foundation = (try? JSONSerialization.jsonObject(with: Data(bytes))) is [String: Any]
            if Self.hasTrailingComma(bytes) { foundation = false }
            if Self.hasExponent(bytes) { continue }
            if ours != foundation { disagreements.append(String(decoding: bytes, as: UTF8.self).debugDescription) }
        }
        #expect(disagreements.isEmpty, "seed 0x0F22: \(disagreements.prefix(10))")
    }

    /// A comma followed (after whitespace) by a closing bracket or brace.
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        let significant = bytes.filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return zip(significant, significant.dropFirst()).contains {
            $0 == UInt8(ascii: ",") && ($1 == 0x5D || $1 == 0x7D)
        }
    }

    /// A digit followed by an exponent mark.
    static func hasExponent(_ bytes: [UInt8]) -> Bool {
        zip(bytes, bytes.dropFirst()).contains { ASCII.isDigit($0) && $1 | 0x20 == UInt8(ascii: "e") }
    }
}
