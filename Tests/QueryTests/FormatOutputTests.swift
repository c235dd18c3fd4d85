import Foundation
import Testing

@testable import Query

@Suite struct FormatOutputTests {
    static let schema = Schema([
        Field("window_start", .timestamp), Field("pv", .int64), Field("rate", .double), Field("ok", .bool),
        Field("name", .string),
    ])

    static func batch(_ rows: [[Value]], schema: Schema = schema) -> RecordBatch {
        RecordBatch(
            schema: schema,
            columns: schema.fields.indices.map { index in
                Column(schema.fields[index].type, values: rows.map { $0[index] })
            })
    }

    @Test func jsonLinesLookLikeSparksOutput() {
        let rows: [[Value]] = [
            [.timestamp(1_796_008_650_000), .int64(3), .double(0.1), .bool(true), .string("a\"b\\c\n\u{1}é")],
            [.null, .int64(-9), .double(.nan), .bool(false), .null],
            [.timestamp(-1), .null, .double(-.infinity), .null, .string("")],
            [.timestamp(0), .int64(0), .double(1e21), .bool(true), .string("😀")],
        ]
        let text = String(decoding: JSONLinesEncoder.encode(Self.batch(rows)), as: UTF8.self)
        #expect(
            text == """
                {"window_start":"2026-11-30T03:17:30.000Z","pv":3,"rate":0.1,"ok":true,"name":"a\\"b\\\\c\\n\\u0001é"}
                {"window_start":null,"pv":-9,"rate":null,"ok":false,"name":null}
                {"window_start":"1969-12-31T23:59:59.999Z","pv":null,"rate":null,"ok":null,"name":""}
                {"window_start":"1970-01-01T00:00:00.000Z","pv":0,"rate":1e+21,"ok":true,"name":"😀"}

                """)
        var one: [UInt8] = []
        JSONLinesEncoder.appendRow(1, of: Self.batch(rows), to: &one)
        #expect(
            String(decoding: one, as: UTF8.self)
                == "{\"window_start\":null,\"pv\":-9,\"rate\":null,\"ok\":false,\"name\":null}")
    }

    /// Random batches written as JSON lines read back through Foundation's parser (independent of
    /// our decoder) and through our decoder to the same values.
    @Test func jsonLinesReparseToTheSameValues() throws {
        var random = FormatTestRandom(seed: 0x150)
        let rows = (0..<300).map { _ in Self.randomRow(&random) }
        let encoded = JSONLinesEncoder.encode(Self.batch(rows))
        let lines = encoded.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == rows.count)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for (line, row) in zip(lines, rows) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let names = Self.schema.names
            for (index, value) in row.enumerated() {
                let parsed = object[names[index]]
                switch value {
                case .null: #expect(parsed is NSNull)
                case .timestamp(let ms):
                    let text = try #require(parsed as? String)
                    let date = try #require(formatter.date(from: text))
                    #expect(Int64((date.timeIntervalSince1970 * 1000).rounded()) == ms)
                case .int64(let int): #expect((parsed as? NSNumber)?.int64Value == int)
                case .double(let double):
                    // Foundation's number parser is not correctly rounded (it can be a few ulps
                    // off); exactness is checked below through our decoder and Swift's strtod.
                    let reparsed = try #require((parsed as? NSNumber)?.doubleValue)
                    #expect(abs(reparsed - double) <= abs(double) * 1e-14, "seed 0x150")
                case .bool(let bool): #expect((parsed as? NSNumber)?.boolValue == bool)
                case .string(let string): #expect(parsed as? String == string)
                }
            }
        }
        let decoder = FormatFixture.decoder(Self.schema)
        let decoded = decoder.decode(SourceRecords(partition: 0, firstOffset: 0, values: lines.map { Array($0) }))
        #expect(decoded.batch.rows == rows, "seed 0x150")
        // Every double's text reads back exactly through the C library's correctly rounded strtod.
        let text = String(decoding: encoded, as: UTF8.self)
        for case .double(let double) in rows.map({ $0[2] }) {
            let written = JSONLinesEncoder.encode(
                Self.batch([[.null, .null, .double(double), .null, .null]], schema: Self.schema))
            let number = String(decoding: written, as: UTF8.self).split(separator: ":")[3].split(separator: ",")[0]
            #expect(Double(String(number)) == double && text.contains(number))
        }
    }

    @Test func csvQuotesOnlyWhatNeedsIt() {
        let rows: [[Value]] = [
            [.timestamp(0), .int64(1), .double(2.5), .bool(true), .string("plain")],
            [.null, .null, .null, .null, .null],
            [.timestamp(0), .int64(-2), .double(.nan), .bool(false), .string("")],
            [.timestamp(0), .int64(3), .double(.infinity), .bool(false), .string("a,b \"q\"\nline")],
        ]
        let schema = Schema(Self.schema.fields.map { Field($0.name == "name" ? "na,me" : $0.name, $0.type) })
        let text = String(decoding: CSVEncoder.encode(Self.batch(rows, schema: schema)), as: UTF8.self)
        #expect(
            text == """
                window_start,pv,rate,ok,"na,me"
                1970-01-01T00:00:00.000Z,1,2.5,true,plain
                ,,,,
                1970-01-01T00:00:00.000Z,-2,NaN,false,""
                1970-01-01T00:00:00.000Z,3,Inf,false,"a,b ""q""
                line"

                """)
        let tabbed = String(
            decoding: CSVEncoder.encode(Self.batch([rows[0]]), delimiter: 0x09, header: false), as: UTF8.self)
        #expect(tabbed == "1970-01-01T00:00:00.000Z\t1\t2.5\ttrue\tplain\n")
    }

    /// Random batches written as CSV read back to the same values through a plain RFC 4180 reader
    /// written here, and through our CSV decoder.
    @Test func csvReparsesToTheSameValues() {
        var random = FormatTestRandom(seed: 0xC54)
        let rows = (0..<300).map { _ in Self.randomRow(&random) }
        let encoded = CSVEncoder.encode(Self.batch(rows))
        let records = Self.splitCSV(String(decoding: encoded, as: UTF8.self))
        #expect(records.first == Self.schema.names.map { Optional($0) })
        for (record, row) in zip(records.dropFirst(), rows) {
            let expected: [String?] = row.map { value in
                switch value {
                case .null: nil
                case .timestamp(let ms): TimestampCodec.formatISO8601(epochMs: ms)
                case .double(let double):
                    double.isNaN ? "NaN" : double.isInfinite ? (double < 0 ? "-Inf" : "Inf") : "\(double)"
                case .string(let string): string
                default: value.description
                }
            }
            #expect(record == expected, "seed 0xC54")
        }
        let decoder = FormatFixture.decoder(Self.schema, format: .csv(delimiter: UInt8(ascii: ","), hasHeader: true))
        let lines = Self.csvLines(encoded)
        let decoded = decoder.decode(SourceRecords(partition: 0, firstOffset: 0, values: lines))
        #expect(decoded.deadLetters.isEmpty)
        #expect(decoded.batch.rows.map { $0.map(\.description) } == rows.map { $0.map(\.description) }, "seed 0xC54")
    }

    @Test func tableShowsHeaderRowsAndCutsLongCells() {
        let rows: [[Value]] = [
            [.timestamp(1_796_008_650_000), .int64(3), .double(0.5), .bool(true), .string("short")],
            [.null, .int64(12_345), .null, .bool(false), .string("a rather long value that will not fit\tin")],
        ]
        let table = TableRenderer(cellWidthMax: 20).render(Self.batch(rows))
        #expect(
            table == """
                +--------------------+-----+----+-----+--------------------+
                |window_start        |   pv|rate|ok   |name                |
                +--------------------+-----+----+-----+--------------------+
                |2026-11-30T03:17:...|    3| 0.5|true |short               |
                |null                |12345|null|false|a rather long val...|
                +--------------------+-----+----+-----+--------------------+

                """)
        let tab = TableRenderer().render(Self.batch([[.null, .null, .null, .null, .string("a\tb")]]))
        #expect(tab.contains("|a\\tb|"))
        let capped = TableRenderer(rowsMax: 1).render(Self.batch(rows))
        #expect(capped.hasSuffix("only showing the first 1 rows, 1 more\n"))
    }

    static func randomRow(_ random: inout FormatTestRandom) -> [Value] {
        let alphabet = Array("ab ,\"\\\n\r\t\u{0}\u{1F}é日😀\u{7F}")
        func maybe(_ value: Value) -> Value { random.next() % 5 == 0 ? .null : value }
        let text = String(
            (0..<Int.random(in: 0...16, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
        return [
            // Gregorian years (Foundation's calendar is Julian before 1582).
            maybe(.timestamp(Int64.random(in: -12_000_000_000_000...250_000_000_000_000, using: &random))),
            maybe(.int64(Int64(bitPattern: random.next()))),
            maybe(
                .double(Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF) * (random.next() % 2 == 0 ? 1 : -1))),
            maybe(.bool(random.next() % 2 == 0)), maybe(.string(text)),
        ]
    }

    /// A plain RFC 4180 reader: fields (nil for an empty unquoted one) of every record.
    static func splitCSV(_ text: String) -> [[String?]] {
        var records: [[String?]] = []
        var record: [String?] = []
        var field = ""
        var quoted = false
        var inQuotes = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if inQuotes {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
                quoted = true
            } else if character == "," || character == "\n" {
                record.append(field.isEmpty && !quoted ? nil : field)
                field = ""
                quoted = false
                if character == "\n" {
                    records.append(record)
                    record = []
                }
            } else {
                field.append(character)
            }
        }
        return records
    }

    /// The byte ranges of the CSV records (a line break inside quotes stays in its record).
    static func csvLines(_ bytes: [UInt8]) -> [[UInt8]?] {
        var lines: [[UInt8]?] = []
        var start = 0
        var inQuotes = false
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == 0x0A && !inQuotes {
                lines.append(Array(bytes[start...index]))
                start = index + 1
            }
        }
        return lines
    }
}
