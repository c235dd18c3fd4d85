import Foundation
import Testing

@testable import Query

/// The common-form ISO-8601 fast path (`parseCommonISO8601`, which the JSON decoder now calls
/// directly for TIMESTAMP strings) against the field-by-field parser, on random texts of every
/// accepted shape and on near misses: where the fast path answers, it answers the same instant;
/// where it does not, the general path decides, so values and errors are the full parser's.
@Suite struct FormatTimestampFastPathTests {
    /// A random ISO-8601-ish text: every accepted shape, fields sometimes out of range; whether
    /// it is in the common form (`YYYY-MM-DD?HH:MM:SS[.fff][Z|±HH:MM]`).
    static func randomText(_ random: inout FormatTestRandom) -> (bytes: [UInt8], commonForm: Bool) {
        var common = true
        func pick(_ range: ClosedRange<Int>, _ random: inout FormatTestRandom) -> Int {
            Int.random(in: range, using: &random)
        }
        func field(_ valid: ClosedRange<Int>, _ random: inout FormatTestRandom) -> String {
            guard pick(0...19, &random) == 0 else { return padded(pick(valid, &random), 2) }
            common = false
            return padded(min(99, [max(0, valid.lowerBound - 1), valid.upperBound + 1, 99][pick(0...2, &random)]), 2)
        }
        var text: String
        let year: Int
        if pick(0...9, &random) == 0 {
            year = pick(-275_000...275_000, &random)
            text = (year < 0 ? "-" : "+") + padded(abs(year), 6)
            common = false
        } else {
            year = pick(0...9999, &random)
            text = padded(year, 4)
        }
        let month = field(1...12, &random)
        let monthNumber = Int64(month) ?? 1
        let daysMax =
            (1...12).contains(monthNumber) ? CivilCalendar.daysInMonth(year: Int64(year), month: monthNumber) : 31
        text += "-\(month)-\(field(1...Int(daysMax), &random))"
        if pick(0...11, &random) == 0 { return (Array(text.utf8), false) }
        text += ["T", "t", " "][pick(0...2, &random)] + field(0...23, &random) + ":" + field(0...59, &random)
        if pick(0...7, &random) == 0 {
            common = false
        } else {
            text += ":" + field(0...59, &random)
            switch pick(0...5, &random) {
            case 0, 1: break
            case 2, 3: text += "." + digits(3, &random)
            default:
                let count = pick(1...10, &random)
                let mark = [".", ","][pick(0...1, &random)]
                text += mark + digits(count, &random)
                if count != 3 || mark != "." { common = false }
            }
        }
        let sign = ["+", "-"][pick(0...1, &random)]
        switch pick(0...6, &random) {
        case 0: break
        case 1: text += "Z"
        case 2: text += "z"
        case 3, 4: text += sign + field(0...18, &random) + ":" + field(0...59, &random)
        case 5:
            common = false
            text += sign + field(0...18, &random) + field(0...59, &random)
        default:
            common = false
            text += sign + field(0...18, &random)
        }
        return (Array(text.utf8), common)
    }

    /// `value` in decimal, zero-padded to `width` digits.
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func digits(_ count: Int, _ random: inout FormatTestRandom) -> String {
        String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
    }

    /// `bytes` with one random edit: a byte replaced, removed or added, or the end cut off.
    static func nearMiss(_ bytes: [UInt8], _ alphabet: [UInt8], _ random: inout FormatTestRandom) -> [UInt8] {
        var bytes = bytes
        let position = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: bytes[position] = alphabet.randomElement(using: &random)!
        case 1: bytes.remove(at: position)
        case 2: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
        default: bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
        }
        return bytes
    }

    static func full(_ bytes: [UInt8]) -> Result<Int64, TimestampParseError> {
        bytes.withUnsafeBytes { text in
            Result { () throws(TimestampParseError) in try TimestampCodec.parseAnyISO8601(text) }
        }
    }

    @Test func commonFormAgreesWithTheFullParser() {
        let seed = UInt64.random(in: 0...UInt64.max)
        var random = FormatTestRandom(seed: seed)
        // Bytes next to the digits (`/`, `:`, `*`, `?`) and ones whose lane plus 6 carries (0xFA...).
        let alphabet = Array("0123456789-:T .,+Zz9x/*;?@".utf8) + [0, 0x7F, 0xC3, 0xF9, 0xFA, 0xFF]
        var fastHits = 0
        for round in 0..<60_000 {
            var (bytes, commonForm) = Self.randomText(&random)
            if round % 3 == 0 {
                bytes = Self.nearMiss(bytes, alphabet, &random)
                commonForm = false
            }
            let expected = Self.full(bytes)
            let (fast, general) = bytes.withUnsafeBytes { text in
                (
                    TimestampCodec.parseCommonISO8601(text),
                    Result { () throws(TimestampParseError) in try TimestampCodec.parseISO8601(text) }
                )
            }
            let shown = String(decoding: bytes, as: UTF8.self)
            #expect(general == expected, "seed \(seed): '\(shown)'")
            if let fast {
                fastHits += 1
                #expect(expected == .success(fast), "seed \(seed): '\(shown)'")
            } else if commonForm, case .success = expected {
                Issue.record("seed \(seed): the common form '\(shown)' missed the fast path")
            }
        }
        #expect(fastHits > 10_000, "seed \(seed): the fast path was hardly taken")
    }

    @Test func hostileTextsAgree() {
        let texts: [[UInt8]] = [
            [], Array("2026-11-30T03:17:37".utf8).dropLast().map { $0 },
            Array("2026-11-30T03:17:37Z".utf8) + [0], Array("2026-11-30T03:17:37.".utf8),
            Array("2026-11-30T03:17:37.12".utf8), Array("2026-11-30T03:17:37.1234Z".utf8),
            Array("2026-11-30T03:17:37+19:00".utf8), Array("2026-11-30T03:17:37+01:60".utf8),
            Array("2026-11-30T03:17:37+01:0".utf8), Array("2026-11-30T03:17:37+01:000".utf8),
            Array("2026-02-29T03:17:37Z".utf8), Array("2024-02-29T03:17:37Z".utf8),
            Array("1900-02-29T00:00:00Z".utf8), Array("2000-02-29T00:00:00Z".utf8),
            Array("2026-11-30T24:00:00Z".utf8), Array("2026-11-30T23:59:60Z".utf8),
            Array("2026-11-30T03:17:37ZZ".utf8), Array("2026-11-30X03:17:37Z".utf8),
            Array("2026-11-30T03:17:37\u{00E9}".utf8), Array("2026-11-30T03:17:37Z".utf8).map { $0 | 0x80 },
            Array("2026/11/30T03:17:37Z".utf8), Array("20261130T031737Z".utf8),
            Array(repeating: UInt8(ascii: "9"), count: 19), Array(repeating: UInt8(ascii: "-"), count: 29),
            Array("2026-11-30T03:17:37.123+01:00".utf8) + Array(repeating: UInt8(ascii: "0"), count: 40),
        ]
        for bytes in texts {
            let expected = Self.full(bytes)
            bytes.withUnsafeBytes { text in
                let shown = String(decoding: bytes, as: UTF8.self)
                if let fast = TimestampCodec.parseCommonISO8601(text) {
                    #expect(expected == .success(fast), "'\(shown)'")
                }
                let general = Result { () throws(TimestampParseError) in try TimestampCodec.parseISO8601(text) }
                #expect(general == expected, "'\(shown)'")
            }
        }
    }

    /// The decoder's TIMESTAMP strings, event time or not, against the general conversion: each
    /// record is kept with the general path's instants or dead-lettered with its reason, in
    /// batches where kept and dropped records mix.
    @Test func jsonTimestampStringsMatchTheGeneralConversion() {
        let seed = UInt64.random(in: 0...UInt64.max)
        var random = FormatTestRandom(seed: seed)
        let schema = Schema([
            Field("ts", .timestamp), Field("name", .string), Field("seen", .timestamp), Field("n", .int64),
        ])
        // Every column, then all but the event time (checked, not kept: a slot without an output).
        let decoders = [
            FormatFixture.decoder(schema, eventTime: 0),
            FormatFixture.decoder(schema, columns: [1, 2, 3], eventTime: 0),
        ]
        let alphabet = Array("0123456789-:T .,+Zz9x".utf8)
        for round in 0..<40 {
            let decoder = decoders[round % 2]
            var values: [[UInt8]] = []
            var expected: [Result<[Value], ReasonError>] = []
            for index in 0..<200 {
                var texts: [[UInt8]] = []
                for _ in 0..<2 {
                    var (bytes, _) = Self.randomText(&random)
                    if Int.random(in: 0..<4, using: &random) == 0 { bytes = Self.nearMiss(bytes, alphabet, &random) }
                    texts.append(bytes)
                }
                let name = "r\(index)"
                values.append(
                    Array("{\"ts\":\"".utf8) + texts[0] + Array("\",\"name\":\"\(name)\",\"seen\":\"".utf8) + texts[1]
                        + Array("\",\"n\":\(index)}".utf8))
                expected.append(Self.expectedOutcome(texts[0], texts[1], name: name, n: index))
            }
            let decoded = FormatFixture.decode(decoder, values.map { Optional($0) })
            var letters = decoded.deadLetters.makeIterator()
            var row = 0
            for (index, outcome) in expected.enumerated() {
                let shown = String(decoding: values[index], as: UTF8.self)
                switch outcome {
                case .success(let full):
                    let values = round % 2 == 0 ? full : Array(full.dropFirst())
                    #expect(decoded.recordIndexes.count > row && decoded.recordIndexes[row] == index, "seed \(seed)")
                    if decoded.recordIndexes.count > row {
                        #expect(decoded.batch.row(row) == values, "seed \(seed): \(shown)")
                    }
                    row += 1
                case .failure(let error):
                    let letter = letters.next()
                    #expect(letter?.offset == 100 + Int64(index), "seed \(seed): \(shown)")
                    #expect(letter?.reason == error.reason, "seed \(seed): \(shown)")
                }
            }
            #expect(row == decoded.batch.rowCount && letters.next() == nil, "seed \(seed)")
        }
    }

    /// What the general conversion makes of a record with these two timestamp texts.
    static func expectedOutcome(_ ts: [UInt8], _ seen: [UInt8], name: String, n: Int) -> Result<[Value], ReasonError> {
        func convert(_ bytes: [UInt8]) -> Result<Int64, TimestampParseError> {
            bytes.withUnsafeBytes { text in
                Result { () throws(TimestampParseError) in try TimestampCodec.parseEpochMsOrISO8601(text) }
            }
        }
        let tsMs: Int64
        switch convert(ts) {
        case .success(let value): tsMs = value
        case .failure(let error):
            return .failure(ReasonError(reason: .badEventTime(ConversionFailure.timestamp(error).detail)))
        }
        switch convert(seen) {
        case .success(let seenMs):
            return .success([.timestamp(tsMs), .string(name), .timestamp(seenMs), .int64(Int64(n))])
        case .failure(let error):
            return .failure(
                ReasonError(reason: .badValue(column: "seen", detail: ConversionFailure.timestamp(error).detail)))
        }
    }
}
