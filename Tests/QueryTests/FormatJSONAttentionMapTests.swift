import Foundation
import Testing

@testable import Query

/// The attention map that finds string ends: its bits equal a byte-by-byte reading at every
/// length and position (full 64-byte blocks, the overlapping tail, records under 64 bytes), and
/// records longer than a block decode and fail exactly as the byte-by-byte rules say.
@Suite struct FormatJSONAttentionMapTests {
    static func needsLook(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x5C || byte < 0x20 || byte >= 0x80 }

    /// Random bytes, plain mostly, with special ones at a density of about one in `sparsity`.
    static func randomBytes(_ count: Int, sparsity: Int, _ random: inout FormatTestRandom) -> [UInt8] {
        let special: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x0A, 0x80, 0xC3, 0xFF]
        let plainNeighbours: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x7E]
        return (0..<count).map { _ in
            if Int.random(in: 0..<sparsity, using: &random) == 0 { return special.randomElement(using: &random)! }
            if Int.random(in: 0..<4, using: &random) == 0 { return plainNeighbours.randomElement(using: &random)! }
            return UInt8.random(in: 0x23...0x7E, using: &random)
        }
    }

    @Test func bitsEqualAByteByByteReadingAndTheEndStopsEveryScan() {
        var random = FormatTestRandom(seed: 0x5CA4)
        var map = JSONAttentionMap()
        defer { map.deallocate() }
        for count in 1...300 {
            for sparsity in [1, 9, 70, 1_000] {
                let bytes = Self.randomBytes(count, sparsity: sparsity, &random)
                // Memory that ends exactly at the last byte, so an over-read would show under a sanitizer.
                let memory = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: count)
                defer { memory.deallocate() }
                _ = memory.initialize(from: bytes)
                let scanner = JSONScanner(UnsafeRawBufferPointer(memory), map: &map)
                var wrongBits: [Int] = []
                for index in 0..<(count / 64 + 1) * 64 {
                    let bit = scanner.attention[index / 64] >> UInt64(index % 64) & 1 == 1
                    if bit != (index >= count || Self.needsLook(bytes[index])) { wrongBits.append(index) }
                }
                #expect(wrongBits.isEmpty, "seed 0x5CA4: \(count) bytes, sparsity \(sparsity): \(wrongBits.prefix(5))")
                var expectedStop = count
                var wrongStops: [Int] = []
                for start in stride(from: count, through: 0, by: -1) {
                    if start < count && Self.needsLook(bytes[start]) { expectedStop = start }
                    if scanner.nextAttention(scanner.base + start) - scanner.base != expectedStop {
                        wrongStops.append(start)
                    }
                }
                #expect(
                    wrongStops.isEmpty, "seed 0x5CA4: \(count) bytes, sparsity \(sparsity): \(wrongStops.prefix(5))")
            }
        }
    }

    static let decoder = FormatFixture.decoder(Schema([Field("s", .string), Field("n", .int64)]))

    /// `{"s":"` then `body`, then `tail`: the string's body starts at byte 6.
    static func record(_ body: [UInt8], _ tail: String) -> [UInt8] { Array("{\"s\":\"".utf8) + body + Array(tail.utf8) }

    /// A string's special byte at every position of bodies that span two to four map words: each
    /// gives its own reason at its own byte, as read byte by byte.
    @Test func specialBytesInLongStringsKeepTheirReasonAndOffset() {
        for length in [57, 58, 63, 64, 65, 100, 121, 122, 127, 128, 129, 190] {
            for position in 0..<length {
                var body = [UInt8](repeating: UInt8(ascii: "y"), count: length)
                body[position] = 0x1F
                #expect(
                    FormatFixture.outcome(Self.decoder, Self.record(body, "\",\"n\":1}")).reason
                        == .malformed("control character in a string at byte \(6 + position)"),
                    "length \(length) at \(position)")
                body[position] = 0xFF
                #expect(FormatFixture.outcome(Self.decoder, Self.record(body, "\",\"n\":1}")).reason == .invalidUTF8)
                body[position] = UInt8(ascii: "\"")
                let cut = FormatFixture.outcome(Self.decoder, Self.record(body, "\",\"n\":1}"))
                // The quote ends the string early: the `y` after it (or the closing quote) is no separator.
                #expect(
                    cut.reason == .malformed("expected ',' or '}' at byte \(6 + position + 1)"),
                    "length \(length) at \(position)")
                body[position] = UInt8(ascii: "\\")
                body.insert(UInt8(ascii: "n"), at: position + 1)
                let escaped = FormatFixture.outcome(Self.decoder, Self.record(body, "\",\"n\":2}"))
                var expected = [UInt8](repeating: UInt8(ascii: "y"), count: length)
                expected[position] = 0x0A
                #expect(escaped.row == [.string(String(decoding: expected, as: UTF8.self)), .int64(2)])
                body.remove(at: position + 1)
                body[position] = 0xC3
                body.insert(0xA9, at: position + 1)
                let accented = FormatFixture.outcome(Self.decoder, Self.record(body, "\",\"n\":3}"))
                #expect(accented.row == [.string(String(decoding: body, as: UTF8.self)), .int64(3)])
            }
            let body = [UInt8](repeating: UInt8(ascii: "z"), count: length)
            #expect(
                FormatFixture.outcome(Self.decoder, Self.record(body, "")).reason
                    == .malformed("unexpected end of input in a string at byte \(6 + length)"))
        }
    }

    /// Click-like records of about 200 bytes with random edits: a row exactly when Foundation's
    /// parser reads one JSON object (every column is STRING, which takes any value), with the
    /// strings Foundation reads; a refusal is `invalid_utf8` exactly when the bytes are not UTF-8.
    @Test func longRecordsAgreeWithFoundation() throws {
        let decoder = FormatFixture.decoder(
            Schema([Field("ts", .string), Field("ip", .string), Field("user_agent", .string), Field("status", .string)])
        )
        let agents = [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
            "curl/8.5.0", "caf\\u00e9 \\\"bot\\\" \\ud83d\\ude00 é日本 long enough to cross a word boundary of the map",
        ]
        let alphabet = Array("{}[]\":,\\ 0123456789.eu\"a/".utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF]
        var random = FormatTestRandom(seed: 0xC11C)
        var disagreements: [String] = []
        for iteration in 0..<4_000 {
            let agent = agents[iteration % agents.count]
            let ts = Int64.random(in: 1_000_000_000_000...9_999_999_999_999, using: &random)
            var bytes = Array(
                ("{\"ts\":\(ts),\"ip\":\"10.1.\(iteration % 256).7\",\"user_id\":\"u\(iteration)\","
                    + "\"url\":\"https://shop.example.com/products/\(iteration)?q=x\",\"referrer\":null,"
                    + "\"user_agent\":\"\(agent)\",\"status\":200,\"bytes\":\(iteration * 7)}").utf8)
            if iteration % 4 != 0 {
                for _ in 0..<Int.random(in: 1...2, using: &random) {
                    let position = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[position] = alphabet.randomElement(using: &random)!
                    case 1: bytes.remove(at: position)
                    default: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
                    }
                }
            }
            if FormatJSONConformanceTests.hasTrailingComma(bytes) || FormatJSONConformanceTests.hasExponent(bytes) {
                continue
            }
            let outcome = FormatFixture.outcome(decoder, bytes)
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
            let text = String(decoding: bytes, as: UTF8.self).debugDescription
            guard let ours = outcome.row, let object else {
                if (outcome.row == nil) != (object == nil) { disagreements.append(text) }
                // A refusal says whether the bytes are UTF-8 at all.
                let tag = String(validating: bytes, as: UTF8.self) == nil ? "invalid_utf8" : "malformed"
                if outcome.row == nil && outcome.tag != tag { disagreements.append("reason of " + text) }
                continue
            }
            for (column, key) in [(1, "ip"), (2, "user_agent")] {
                guard let expected = object[key] as? String else { continue }
                if ours[column] != .string(expected) { disagreements.append("\(key) of " + text) }
            }
        }
        #expect(disagreements.isEmpty, "seed 0xC11C: \(disagreements.prefix(5))")
    }
}
