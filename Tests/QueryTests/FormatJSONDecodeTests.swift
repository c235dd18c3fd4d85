import Foundation
import Testing

@testable import Query

@Suite struct FormatJSONDecodeTests {
    static let schema = Schema([
        Field("ts", .timestamp), Field("b", .bool), Field("i", .int64), Field("d", .double), Field("s", .string),
    ])
    static let decoder = FormatFixture.decoder(schema)

    static func row(_ json: String) -> [Value]? { FormatFixture.outcome(decoder, json).row }
    static func reason(_ json: String) -> DeadLetterReason? { FormatFixture.outcome(decoder, json).reason }

    @Test func decodesEveryTypeInAnyFieldOrder() {
        let expected: [Value] = [.timestamp(1_796_008_657_123), .bool(true), .int64(-42), .double(2.5), .string("x")]
        #expect(Self.row("{\"ts\":1796008657123,\"b\":true,\"i\":-42,\"d\":2.5,\"s\":\"x\"}") == expected)
        #expect(Self.row("{\"s\":\"x\",\"d\":2.5,\"i\":-42,\"b\":true,\"ts\":1796008657123}") == expected)
        #expect(
            Self.row(
                "{\"extra\":[1,{}],\"s\":\"x\",\"d\":25e-1,\"i\":-42,\"b\":true,\"ts\":\"2026-11-30T03:17:37.123Z\"}")
                == expected)
    }

    @Test func missingFieldsAndJSONNullAreNull() {
        #expect(Self.row("{}") == [.null, .null, .null, .null, .null])
        #expect(
            Self.row("{\"ts\":null,\"b\":null,\"i\":null,\"d\":null,\"s\":null}") == [
                .null, .null, .null, .null, .null,
            ])
        let decoded = FormatFixture.decode(Self.decoder, ["{\"i\":1}", "{\"s\":\"a\"}", "{\"i\":3,\"s\":null}"])
        #expect(
            decoded.batch.rows == [
                [.null, .null, .int64(1), .null, .null], [.null, .null, .null, .null, .string("a")],
                [.null, .null, .int64(3), .null, .null],
            ])
        #expect(decoded.batch.columns[2].nulls == [false, true, false])
    }

    @Test func bigintConversions() {
        func bigint(_ value: String) -> Result<[Value], ReasonError> {
            FormatFixture.outcome(Self.decoder, "{\"i\":\(value)}").map { [$0[2]] }
        }
        #expect(bigint("9223372036854775807").row == [.int64(.max)])
        #expect(bigint("-9223372036854775808").row == [.int64(.min)])
        #expect(bigint("2e2").row == [.int64(200)])
        #expect(bigint("200.000").row == [.int64(200)])
        #expect(bigint("-0").row == [.int64(0)])
        #expect(bigint("12345678901234567e2").row == [.int64(1_234_567_890_123_456_700)])
        // Strings holding a whole number convert, as nginx `escape=json` logs quote every field.
        #expect(bigint("\"200\"").row == [.int64(200)])
        #expect(bigint("\"-7\"").row == [.int64(-7)])
        #expect(bigint("\"\\u0032\"").row == [.int64(2)])
        #expect(bigint("9223372036854775808").reason == .badValue(column: "i", detail: "out of range for BIGINT"))
        #expect(bigint("-9223372036854775809").reason == .badValue(column: "i", detail: "out of range for BIGINT"))
        #expect(bigint("1e19").reason == .badValue(column: "i", detail: "out of range for BIGINT"))
        #expect(bigint("1e999999999999").reason == .badValue(column: "i", detail: "out of range for BIGINT"))
        #expect(bigint("2.5").reason == .badValue(column: "i", detail: "not a whole number"))
        #expect(bigint("1e-1").reason == .badValue(column: "i", detail: "not a whole number"))
        #expect(bigint("\"OK\"").reason == .badValue(column: "i", detail: "not a number"))
        #expect(bigint("\"\"").reason == .badValue(column: "i", detail: "not a number"))
        #expect(bigint("\" 1\"").reason == .badValue(column: "i", detail: "not a number"))
        #expect(bigint("true").reason == .badValue(column: "i", detail: "a JSON boolean does not convert to BIGINT"))
        #expect(bigint("{}").reason == .badValue(column: "i", detail: "a JSON object does not convert to BIGINT"))
        #expect(bigint("[1]").reason == .badValue(column: "i", detail: "a JSON array does not convert to BIGINT"))
    }

    @Test func doubleBooleanAndStringConversions() {
        func column(_ key: String, _ value: String, _ index: Int) -> Result<[Value], ReasonError> {
            FormatFixture.outcome(Self.decoder, "{\"\(key)\":\(value)}").map { [$0[index]] }
        }
        #expect(column("d", "0.1", 3).row == [.double(0.1)])
        #expect(column("d", "-1.7976931348623157e308", 3).row == [.double(-.greatestFiniteMagnitude)])
        #expect(column("d", "5e-324", 3).row == [.double(.leastNonzeroMagnitude)])
        #expect(column("d", "1", 3).row == [.double(1)])
        #expect(column("d", "0.30000000000000004", 3).row == [.double(0.1 + 0.2)])
        #expect(column("d", "123456789012345678901234567890", 3).row == [.double(1.2345678901234568e29)])
        #expect(column("d", "\"2.5\"", 3).row == [.double(2.5)])
        #expect(
            column("d", "\"NaN\"", 3).row?.first.map { if case .double(let v) = $0 { v.isNaN } else { false } } == true)
        #expect(column("d", "\"-Inf\"", 3).row == [.double(-.infinity)])
        #expect(column("d", "1e400", 3).reason == .badValue(column: "d", detail: "out of range for DOUBLE"))
        #expect(column("d", "false", 3).tag == "bad_value")
        #expect(column("b", "false", 1).row == [.bool(false)])
        #expect(column("b", "\"TRUE\"", 1).row == [.bool(true)])
        #expect(
            column("b", "1", 1).reason == .badValue(column: "b", detail: "a JSON number does not convert to BOOLEAN"))
        #expect(column("b", "\"yes\"", 1).reason == .badValue(column: "b", detail: "not true or false"))
        // A STRING column takes any value; non-strings keep their raw JSON text, as Spark does.
        #expect(column("s", "\"a\\nb\\u00e9\"", 4).row == [.string("a\nbé")])
        #expect(column("s", "12.50", 4).row == [.string("12.50")])
        #expect(column("s", "true", 4).row == [.string("true")])
        #expect(column("s", "{\"a\": [1, 2]}", 4).row == [.string("{\"a\": [1, 2]}")])
    }

    @Test func timestampConversions() {
        func ts(_ value: String) -> Result<[Value], ReasonError> {
            FormatFixture.outcome(Self.decoder, "{\"ts\":\(value)}").map { [$0[0]] }
        }
        #expect(ts("0").row == [.timestamp(0)])
        #expect(ts("-1000").row == [.timestamp(-1000)])
        #expect(ts("1.796008657e12").row == [.timestamp(1_796_008_657_000)])
        #expect(ts("\"1796008657000\"").row == [.timestamp(1_796_008_657_000)])
        #expect(ts("\"2026-11-30T04:17:37+01:00\"").row == [.timestamp(1_796_008_657_000)])
        #expect(ts("\"2026-11-30 03:17:37.5Z\"").row == [.timestamp(1_796_008_657_500)])
        #expect(ts("1.5").reason == .badValue(column: "ts", detail: "not a whole number"))
        #expect(
            ts("\"2026-02-30\"").reason == .badValue(column: "ts", detail: "not a timestamp: day 30 is out of range"))
        #expect(ts("true").tag == "bad_value")
    }

    @Test func namesMatchCaseInsensitivelyPreferringExact() {
        let decoder = FormatFixture.decoder(Schema([Field("user_id", .string), Field("Status", .int64)]))
        func row(_ json: String) -> [Value]? { FormatFixture.outcome(decoder, json).row }
        #expect(row("{\"USER_ID\":\"a\",\"status\":1}") == [.string("a"), .int64(1)])
        // An exact match wins over a case-insensitive one, whichever comes last.
        #expect(row("{\"user_id\":\"exact\",\"User_Id\":\"folded\"}") == [.string("exact"), .null])
        #expect(row("{\"User_Id\":\"folded\",\"user_id\":\"exact\"}") == [.string("exact"), .null])
        // Two keys of the same match quality: the last one wins.
        #expect(row("{\"USER_ID\":\"first\",\"User_Id\":\"second\"}") == [.string("second"), .null])
        // Non-ASCII letters are not folded, and near-misses do not match.
        #expect(row("{\"user_idé\":\"x\",\"user_i\":\"y\",\"user_ids\":\"z\",\"STATUS \":2}") == [.null, .null])
        #expect(row("{\"us\\u0065r_ID\":\"escaped\"}") == [.string("escaped"), .null])
    }

    /// Names longer than eight bytes, names equal but for case (a schema Spark would refuse) and
    /// many columns take the general matching path.
    @Test func longAndCaseTwinNamesMatch() {
        let twins = FormatFixture.decoder(
            Schema([Field("a", .int64), Field("A", .int64), Field("a_long_name_here", .int64)]))
        #expect(
            FormatFixture.outcome(twins, "{\"A\":1,\"a\":2,\"A_LONG_NAME_HERE\":3}").row == [
                .int64(2), .int64(1), .int64(3),
            ])
        #expect(FormatFixture.outcome(twins, "{\"A\":1}").row == [.int64(1), .int64(1), .null])
        let wide = Schema((0..<100).map { Field("column_\($0)", .int64) })
        let json = "{" + (0..<100).reversed().map { "\"COLUMN_\($0)\":\($0)" }.joined(separator: ",") + "}"
        #expect(FormatFixture.outcome(FormatFixture.decoder(wide), json).row == (0..<100).map { .int64(Int64($0)) })
    }

    /// Records of one batch that repeat, reorder, respace and re-case their keys: the scanner's
    /// memory of the previous records' keys never changes what a record decodes to.
    @Test func keyOrderChangesWithinABatch() {
        let decoder = FormatFixture.decoder(
            Schema([Field("ts", .int64), Field("ip", .string), Field("status", .int64)]))
        let lines = [
            "{\"ts\":1,\"ip\":\"a\",\"status\":200}",
            "{\"ts\":2,\"ip\":\"b\",\"status\":201}",
            "{\"ip\":\"c\",\"ts\":3,\"status\":202}",
            "{\"tsx\":9,\"ts\":4,\"ip\":\"d\",\"status\":203}",
            "{\"TS\":5,\"ts\":6,\"IP\":\"e\",\"status\" :204}",
            "{\"TS\":7,\"ts\":8,\"IP\":\"f\",\"status\":205}",
            "{\"ts\":9 , \"ip\":\"g\",\"status\":206,\"ts\":10}",
            "{\"t\\u0073\":11,\"ip\":\"h\",\"status\":207}",
            "{\"ts\":12,\"ip\":\"i\",\"status\":208}",
        ]
        let decoded = FormatFixture.decode(decoder, lines)
        #expect(decoded.deadLetters.isEmpty)
        #expect(
            decoded.batch.rows == [
                [.int64(1), .string("a"), .int64(200)], [.int64(2), .string("b"), .int64(201)],
                [.int64(3), .string("c"), .int64(202)], [.int64(4), .string("d"), .int64(203)],
                [.int64(6), .string("e"), .int64(204)], [.int64(8), .string("f"), .int64(205)],
                [.int64(10), .string("g"), .int64(206)], [.int64(11), .string("h"), .int64(207)],
                [.int64(12), .string("i"), .int64(208)],
            ])
    }

    @Test func eventTimeIsCheckedEvenWhenNotDecoded() {
        let schema = Schema([Field("ts", .timestamp), Field("v", .int64)])
        let decoder = FormatFixture.decoder(schema, columns: [1], eventTime: 0)
        #expect(decoder.inputSchema == Schema([Field("v", .int64)]))
        let decoded = FormatFixture.decode(
            decoder,
            [
                "{\"ts\":1,\"v\":1}", "{\"v\":2}", "{\"ts\":null,\"v\":3}", "{\"ts\":\"noon\",\"v\":4}",
                "{\"ts\":5,\"v\":\"x\"}", "{\"ts\":\"junk\",\"v\":\"x\"}",
            ])
        #expect(decoded.batch.rows == [[.int64(1)]])
        #expect(decoded.recordIndexes == [0])
        #expect(
            decoded.deadLetters.map(\.reason.tag) == [
                "missing_event_time", "missing_event_time", "bad_event_time", "bad_value", "bad_event_time",
            ])
        #expect(decoded.deadLetters[2].reason == .badEventTime("not a timestamp: expected a digit at byte 0"))
    }

    @Test func notNullColumnsRefuseNull() {
        let decoder = FormatFixture.decoder(Schema([Field("k", .string, nullable: false), Field("v", .int64)]))
        #expect(FormatFixture.outcome(decoder, "{\"k\":\"a\"}").row == [.string("a"), .null])
        #expect(
            FormatFixture.outcome(decoder, "{\"v\":1}").reason
                == .badValue(column: "k", detail: "NULL in a NOT NULL column"))
        #expect(FormatFixture.outcome(decoder, "{\"k\":null}").tag == "bad_value")
    }

    /// Each bad record becomes exactly one dead letter with its partition, offset and bytes, and
    /// the records around it still decode, in source order.
    @Test func deadLettersCarryTheRecordAndNeverStopTheOthers() {
        let values: [[UInt8]?] = [
            Array("{\"i\":1}".utf8), nil, Array("{\"i\":".utf8), [0xFF], [], Array("{\"i\":\"x\"}".utf8),
            Array("{\"i\":6,\"s\":\"\\u00e9\"}".utf8),
        ]
        let decoded = FormatFixture.decode(Self.decoder, values)
        #expect(decoded.batch.rows.map { $0[2] } == [.int64(1), .int64(6)])
        #expect(decoded.batch.rows[1][4] == .string("é"))
        #expect(decoded.recordIndexes == [0, 6])
        #expect(decoded.deadLetters.map(\.offset) == [101, 102, 103, 104, 105])
        #expect(decoded.deadLetters.allSatisfy { $0.partition == 3 })
        #expect(
            decoded.deadLetters.map(\.reason.tag) == [
                "null_value", "malformed", "invalid_utf8", "malformed", "bad_value",
            ])
        #expect(decoded.deadLetters.map(\.raw) == [[], Array("{\"i\":".utf8), [0xFF], [], Array("{\"i\":\"x\"}".utf8)])
    }

    @Test func onlyTheDecodedColumnsComeOut() {
        let decoder = FormatFixture.decoder(Self.schema, columns: [2, 4])
        let decoded = FormatFixture.decode(decoder, ["{\"i\":7,\"s\":\"a\",\"d\":\"not checked\",\"b\":[]}"])
        #expect(decoded.batch.schema.names == ["i", "s"])
        #expect(decoded.batch.rows == [[.int64(7), .string("a")]])
    }

    @Test func escapedStringsOfRejectedRecordsLeaveNoTrace() {
        let decoded = FormatFixture.decode(
            Self.decoder,
            [
                "{\"s\":\"\\u00e9\\u00e9\",\"i\":\"bad\"}", "{\"s\":\"\\u0041\"}", "{\"s\":\"plain\"}",
            ])
        #expect(decoded.batch.rows.map { $0[4] } == [.string("A"), .string("plain")])
        #expect(decoded.batch.columns[4].strings.bytes == Array("Aplain".utf8))
    }

    /// Random rows encoded by Foundation's JSONSerialization (an independent encoder) decode to the
    /// same values.
    @Test func roundTripsRowsEncodedByFoundation() throws {
        var random = FormatTestRandom(seed: 0xA11CE)
        var expected: [[Value]] = []
        var values: [[UInt8]?] = []
        let alphabet = Array("abc XYZ 09 \"\\/\n\t\u{0}\u{1F}é日😀\u{7F}")
        for _ in 0..<400 {
            var object: [String: Any] = [:]
            var row: [Value] = []
            let ts = Int64.random(in: -4_000_000_000_000...4_000_000_000_000, using: &random)
            row.append(Bool.random(using: &random) ? .null : .timestamp(ts))
            if case .timestamp = row[0] { object["TS"] = ts }
            let bool = Bool.random(using: &random)
            row.append(random.next() % 3 == 0 ? .null : .bool(bool))
            if case .bool = row[1] { object["b"] = bool } else { object["b"] = NSNull() }
            let int = Int64(bitPattern: random.next())
            row.append(random.next() % 4 == 0 ? .null : .int64(int))
            if case .int64 = row[2] { object["i"] = NSNumber(value: int) }
            let double =
                Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random(using: &random) ? 1 : -1)
            row.append(random.next() % 4 == 0 ? .null : .double(double))
            if case .double = row[3] { object["D"] = double }
            let string = String(
                (0..<Int.random(in: 0...20, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            row.append(random.next() % 4 == 0 ? .null : .string(string))
            if case .string = row[4] { object["s"] = string } else { object["s"] = NSNull() }
            object["ignored"] = ["nested": [1, 2.5, "x"]]
            expected.append(row)
            values.append(Array(try JSONSerialization.data(withJSONObject: object)))
        }
        let decoded = FormatFixture.decode(Self.decoder, values)
        #expect(decoded.deadLetters.isEmpty, "seed 0xA11CE: \(decoded.deadLetters.prefix(3))")
        #expect(decoded.batch.rows == expected, "seed 0xA11CE")
    }
}
