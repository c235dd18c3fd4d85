import Testing

@testable import Query

/// The string scan's wide paths (16 bytes per step with SSE2 on x86-64, 8 per word elsewhere):
/// both stop where a byte-by-byte reading says, never read past the record, and leave every
/// dead letter's reason and byte offset as a byte-by-byte scanner would give it.
@Suite struct FormatJSONPlainRunTests {
    /// Bytes that need a look, and harmless bytes next to them in value.
    static let special: [UInt8] = [0x22, 0x5C, 0x00, 0x0A, 0x1F, 0x80, 0xC3, 0xE2, 0xFF]
    static let plainNeighbours: [UInt8] = [0x20, 0x7F, 0x21, 0x23, 0x5B, 0x5D, 0x7E]

    /// Where a byte-by-byte scan stops: the first special byte if it comes before the last
    /// `count % 8` bytes, else the start of those (the contract of `skip` and `skipWords`).
    static func expectedStop(_ bytes: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Int {
        let tail = bytes.count - (bytes.count - start) % 8
        var index = start
        while index < tail {
            let byte = bytes[index]
            if byte == 0x22 || byte == 0x5C || byte < 0x20 || byte >= 0x80 { return index }
            index += 1
        }
        return tail
    }

    /// Checks `skip` and `skipWords` from `start` against `expectedStop`, in memory that ends
    /// exactly at the last byte (where an over-read would show under a sanitizer).
    static func checkStops(_ memory: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Bool {
        let base = UnsafePointer(memory.baseAddress!)
        let end = base + memory.count
        let expected = Self.expectedStop(memory, from: start)
        return JSONPlainRun.skip(base + start, end: end) - base == expected
            && JSONPlainRun.skipWords(base + start, end: end) - base == expected
    }

    @Test func bothPathsStopAtTheFirstSpecialByteAtEveryPositionAndLength() {
        var random = FormatTestRandom(seed: 11)
        for length in 0...72 {
            let memory = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(length, 1))
            defer { memory.deallocate() }
            let bytes = UnsafeMutableBufferPointer(rebasing: memory[0..<length])
            for index in 0..<length { bytes[index] = UInt8.random(in: 0x23...0x5B, using: &random) }
            for start in 0...min(2, length) {
                #expect(Self.checkStops(bytes, from: start), "length \(length) start \(start), all plain")
                for position in start..<length {
                    let plain = bytes[position]
                    // Past two vector steps, fewer bytes: the lanes are what is tested there.
                    for byte in length <= 40 ? Self.special + Self.plainNeighbours : [0x22, 0x00, 0x80, 0x7F] {
                        bytes[position] = byte
                        #expect(
                            Self.checkStops(bytes, from: start),
                            "length \(length) start \(start) \(byte) at \(position)")
                    }
                    bytes[position] = plain
                }
            }
        }
    }

    @Test func vectorMaskMarksExactlyTheSpecialLanes() {
        #if arch(x86_64)
            var bytes = [UInt8](repeating: 0x61, count: 16)
            for value in 0...255 {
                for lane in [0, 7, 8, 15] {
                    bytes[lane] = UInt8(value)
                    let mask = bytes.withUnsafeBufferPointer { JSONPlainRun.vectorMask($0.baseAddress!) }
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
