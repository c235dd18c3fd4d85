import Foundation
import Testing

@testable import Query

@Suite struct FormatCSVTests {
    static let schema = Schema([
        Field("i", .int64), Field("s", .string), Field("d", .double), Field("b", .bool), Field("ts", .timestamp),
    ])

    static func decoder(delimiter: UInt8 = UInt8(ascii: ","), header: Bool = false, eventTime: Int? = nil)
        -> RecordDecoder
    {
        FormatFixture.decoder(schema, format: .csv(delimiter: delimiter, hasHeader: header), eventTime: eventTime)
    }

    static func outcome(_ line: String, _ decoder: RecordDecoder = decoder()) -> Result<[Value], ReasonError> {
        FormatFixture.outcome(decoder, line)
    }

    @Test func decodesColumnsByPosition() {
        #expect(
            Self.outcome("-7,abc,2.5,true,2026-11-30T03:17:37Z").row == [
                .int64(-7), .string("abc"), .double(2.5), .bool(true), .timestamp(1_796_008_657_000),
            ])
        #expect(
            Self.outcome("007,,1e3,FALSE,1796008657000\n").row == [
                .int64(7), .null, .double(1000), .bool(false), .timestamp(1_796_008_657_000),
            ])
        #expect(
            Self.outcome("+5,x,.5,True,0\r\n").row == [
                .int64(5), .string("x"), .double(0.5), .bool(true), .timestamp(0),
            ])
        #expect(Self.outcome(",,,,").row == [.null, .null, .null, .null, .null])
    }

    @Test func quotedFieldsFollowRFC4180() {
        #expect(Self.outcome("1,\"a,b\",2,true,0").row?[1] == .string("a,b"))
        #expect(Self.outcome("1,\"say \"\"hi\"\"\",2,true,0").row?[1] == .string("say \"hi\""))
        #expect(Self.outcome("1,\"two\nlines\r\n\",2,true,0").row?[1] == .string("two\nlines\r\n"))
        #expect(Self.outcome("1,\"\",2,true,0").row?[1] == .string(""))
        #expect(
            Self.outcome("\"1\",s,\"2.5\",\"true\",\"0\"").row == [
                .int64(1), .string("s"), .double(2.5), .bool(true), .timestamp(0),
            ])
        // An empty quoted field is NULL in a non-string column, as Spark reads it.
        #expect(Self.outcome("\"\",s,\"\",\"\",\"\"").row == [.null, .string("s"), .null, .null, .null])
        #expect(Self.outcome("1,\"é \"\"😀\"\"\",2,true,0").row?[1] == .string("é \"😀\""))
    }

    @Test func malformedLinesSayWhatAndWhere() {
        #expect(Self.outcome("1,a,2,true").reason == .malformed("expected 5 fields, found 4"))
        #expect(Self.outcome("1,a,2,true,0,extra").reason == .malformed("expected 5 fields, found 6"))
        #expect(Self.outcome("1,a\"b,2,true,0").reason == .malformed("quote inside an unquoted field at byte 3"))
        #expect(
            Self.outcome("1,\"ab\"c,2,true,0").reason
                == .malformed("expected a delimiter after the closing quote at byte 6"))
        #expect(Self.outcome("1,\"ab,2,true,0").reason == .malformed("unterminated quoted field starting at byte 2"))
        #expect(Self.outcome("1,a\nb,2,true,0").reason == .malformed("line break outside quotes at byte 3"))
        #expect(Self.outcome("").reason == .malformed("expected 5 fields, found 1"))
    }

    @Test func badValuesAndEncodings() {
        #expect(Self.outcome("x,a,2,true,0").reason == .badValue(column: "i", detail: "not a number"))
        #expect(Self.outcome("1.5,a,2,true,0").reason == .badValue(column: "i", detail: "not a whole number"))
        #expect(
            Self.outcome("99999999999999999999,a,2,true,0").reason
                == .badValue(column: "i", detail: "out of range for BIGINT"))
        #expect(Self.outcome("1,a,2,yes,0").reason == .badValue(column: "b", detail: "not true or false"))
        #expect(Self.outcome("1,a,2, true,0").tag == "bad_value")
        #expect(Self.outcome("1,a,NaN,true,0").row?[2].description == "nan")
        #expect(Self.outcome("1,a,-Inf,true,0").row?[2] == .double(-.infinity))
        #expect(Self.outcome("1,a,Infinity,true,0").row?[2] == .double(.infinity))
        #expect(
            Self.outcome("1,a,2,true,noon").reason
                == .badValue(column: "ts", detail: "not a timestamp: expected a digit at byte 0"))
        #expect(Self.outcome("1,a,2,true,noon", Self.decoder(eventTime: 4)).reason?.tag == "bad_event_time")
        #expect(Self.outcome("1,a,2,true,", Self.decoder(eventTime: 4)).reason == .missingEventTime)
        #expect(
            FormatFixture.outcome(Self.decoder(), Array("1,a".utf8) + [0xC3, 0x28] + Array(",2,true,0".utf8)).tag
                == "invalid_utf8")
    }

    @Test func otherDelimiters() {
        #expect(Self.outcome("1\ta,b\t2\ttrue\t0", Self.decoder(delimiter: 0x09)).row?[1] == .string("a,b"))
        #expect(
            Self.outcome("1;\"a;b\";2;true;0", Self.decoder(delimiter: UInt8(ascii: ";"))).row?[1] == .string("a;b"))
        #expect(RecordDecoder.csvDelimiterProblem(UInt8(ascii: "\"")) != nil)
        #expect(RecordDecoder.csvDelimiterProblem(0x0A) != nil)
        #expect(RecordDecoder.csvDelimiterProblem(0xC3) != nil)
        #expect(RecordDecoder.csvDelimiterProblem(UInt8(ascii: "|")) == nil)
    }

    /// With a header, any line that is exactly the column names is skipped (neither row nor dead
    /// letter), wherever it sits; without one, such a line is an ordinary bad record.
    @Test func headerLinesAreSkippedWhereverTheyAppear() {
        let lines = ["i,s,d,b,ts", "1,a,2,true,0", "I,\"S\",D,B,TS\r\n", "2,b,3,false,1"]
        let withHeader = FormatFixture.decode(Self.decoder(header: true), lines)
        #expect(withHeader.batch.rows.map { $0[0] } == [.int64(1), .int64(2)])
        #expect(withHeader.recordIndexes == [1, 3])
        #expect(withHeader.deadLetters.isEmpty)
        let without = FormatFixture.decode(Self.decoder(header: false), lines)
        #expect(without.deadLetters.map(\.offset) == [100, 102])
        #expect(without.deadLetters.allSatisfy { $0.reason.tag == "bad_value" })
    }

    /// Random rows written by a quoting routine in this test decode to the same values.
    @Test func roundTripsRandomRows() {
        var random = FormatTestRandom(seed: 0xC5F)
        let alphabet = Array("ab ,;\"\n\r\té😀'")
        var lines: [String] = []
        var expected: [[Value]] = []
        for _ in 0..<500 {
            let int = Int64(bitPattern: random.next())
            let text = String(
                (0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            let double = Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF)
            let bool = Bool.random(using: &random)
            let ts = Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &random)
            let nullText = random.next() % 5 == 0
            let quotedText = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let fields = [String(int), nullText ? "" : quotedText, "\(double)", bool ? "true" : "false", String(ts)]
            lines.append(fields.joined(separator: ","))
            expected.append([
                .int64(int), nullText ? .null : .string(text), .double(double), .bool(bool), .timestamp(ts),
            ])
        }
        let decoded = FormatFixture.decode(Self.decoder(), lines)
        #expect(decoded.deadLetters.isEmpty, "seed 0xC5F: \(decoded.deadLetters.prefix(2))")
        #expect(decoded.batch.rows == expected, "seed 0xC5F")
    }
}
