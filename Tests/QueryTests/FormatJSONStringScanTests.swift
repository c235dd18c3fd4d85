import Testing

@testable import Query

/// The string scan at the record level: strings that end the record, hostile bytes and
/// numbers at every length keep the reason and byte offset a byte-by-byte scanner gives; the
/// SSE lane mask marks exactly the bytes that need a look.
@Suite struct FormatJSONStringScanTests {
    @Test func vectorMaskMarksExactlyTheSpecialLanes() {
        #if arch(x86_64)
            var bytes = [UInt8](repeating: 0x61, count: 16)
            for value in 0...255 {
                for lane in [0, 7, 8, 15] {
                    bytes[lane] = UInt8(value)
                    let mask = bytes.withUnsafeBufferPointer { JSONAttentionMap.vectorMask($0.baseAddress!) }
                    let needsLook = value == 0x22 || value == 0x5C || value < 0x20 || value >= 0x80
                    #expect(mask == (needsLook ? UInt32(1) << lane : 0), "byte \(value) in lane \(lane)")
                    bytes[lane] = 0x61
                }
            }
        #endif
    }

    static let decoder = FormatFixture.decoder(Schema([Field("s", .string), Field("n", .int64)]))

    /// `{"s":"` then `body`, then `tail`: the string's body starts at byte 6.
    static func record(_ body: [UInt8], _ tail: String) -> [UInt8] { Array("{\"s\":\"".utf8) + body + Array(tail.utf8) }

    @Test func stringsEndingAtTheRecordsEndAroundTheVectorWidth() {
        for total in 12...40 {
            // A closed string whose closing `"}` are the record's last bytes: `total` bytes in all.
            let body = [UInt8](repeating: UInt8(ascii: "x"), count: total - 8)
            let closed = FormatFixture.outcome(Self.decoder, Self.record(body, "\"}"))
            #expect(closed.row == [.string(String(repeating: "x", count: total - 8)), .null], "\(total) bytes")
            // An unterminated one: the record ends inside the string.
            let open = FormatFixture.outcome(Self.decoder, Self.record(body + [0x61, 0x62], ""))
            #expect(open.reason == .malformed("unexpected end of input in a string at byte \(total)"), "\(total) bytes")
            // A lone backslash as the record's last byte.
            let backslash = FormatFixture.outcome(Self.decoder, Self.record(body + [0x61, 0x5C], ""))
            #expect(
                backslash.reason == .malformed("unexpected end of input in an escape at byte \(total - 1)"),
                "\(total) bytes")
        }
    }

    @Test func hostileBytesAtEveryPositionKeepTheirReasonAndOffset() {
        for length in 1...40 {
            for position in 0..<length {
                var body = [UInt8](repeating: UInt8(ascii: "y"), count: length)
                body[position] = 0x01
                let control = FormatFixture.outcome(Self.decoder, Self.record(body, "\",\"n\":1}"))
                #expect(
                    control.reason == .malformed("control character in a string at byte \(6 + position)"),
                    "length \(length) at \(position)")
                body[position] = 0xFF
                #expect(FormatFixture.outcome(Self.decoder, Self.record(body, "\",\"n\":1}")).reason == .invalidUTF8)
                body[position] = UInt8(ascii: "\\")
                let escape = FormatFixture.outcome(Self.decoder, Self.record(body, "\",\"n\":1}"))
                // A backslash last escapes the closing quote: the string then ends at the next one.
                let escapeExpected: DeadLetterReason =
                    position == length - 1
                    ? .malformed("expected ',' or '}' at byte \(6 + length + 3)")
                    : .malformed("invalid escape at byte \(6 + position)")
                #expect(escape.reason == escapeExpected, "length \(length) at \(position)")
                body[position] = 0xC3
                body.insert(0xA9, at: position + 1)
                let accented = FormatFixture.outcome(Self.decoder, Self.record(body, "\",\"n\":1}"))
                #expect(accented.row?[0] == .string(String(decoding: body, as: UTF8.self)), "length \(length)")
                #expect(accented.row?[1] == .int64(1))
            }
        }
    }

    @Test func numbersEndingTheRecordTakeTheirValueAndErrorsAtEveryLength() {
        var random = FormatTestRandom(seed: 5)
        for count in 1...20 {
            for sign in ["", "-"] {
                let text =
                    sign
                    + String(
                        (0..<count).map { index in
                            Character(String(Int.random(in: index == 0 ? 1...9 : 0...9, using: &random)))
                        })
                for padding in 0...9 {
                    let prefix = padding == 0 ? "{" : "{\"s\":\"\(String(repeating: "x", count: padding - 1))\","
                    let row = FormatFixture.outcome(Self.decoder, prefix + "\"n\":\(text)}").row
                    if let expected = Int64(text) {
                        #expect(row?[1] == .int64(expected), "\(prefix)\(text)")
                    } else {
                        #expect(row == nil, "\(text) is out of range")
                    }
                }
            }
        }
        let cases: [(String, DeadLetterReason?)] = [
            ("{\"n\":0}", nil), ("{\"n\":-0}", nil), ("{\"n\":7}", nil),
            ("{\"n\":01}", .malformed("leading zero in a number at byte 6")),
            ("{\"n\":-01}", .malformed("leading zero in a number at byte 7")),
            ("{\"n\":-}", .malformed("expected a digit at byte 6")),
            ("{\"n\":-x1}", .malformed("expected a digit at byte 6")),
            ("{\"n\":12345678x}", .malformed("expected ',' or '}' at byte 13")),
            ("{\"n\":1.}", .malformed("expected a digit after the decimal point at byte 7")),
            ("{\"n\":2e}", .malformed("expected a digit in the exponent at byte 7")),
            ("{\"n\":-", .malformed("unexpected end of input in a number at byte 6")),
            ("{\"n\":12", .malformed("unexpected end of input in the object at byte 7")),
        ]
        for (json, reason) in cases {
            #expect(FormatFixture.outcome(Self.decoder, json).reason == reason, "\(json)")
        }
    }
}
