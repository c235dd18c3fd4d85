/// How one event is written (the choices that do not change what it says).
struct ClickShape {
    enum TimestampForm {
        case epochMs
        case isoUTC
        /// Local time at `minutes` east of UTC, with its offset.
        case isoOffset(minutes: Int64)
        /// UTC with a space instead of `T`.
        case isoSpace
    }

    var urlRank: Int
    var referrer: Int?
    var agent: Int
    var timestamp: TimestampForm
    /// `"status":"200"` instead of `"status":200`.
    var statusAsString: Bool
}

/// Writing events as JSON bytes, straight into the caller's buffer.
extension ClickGenerator {
    /// `ts` values that are neither epoch milliseconds nor ISO-8601.
    static let badTimestamps: [StaticString] = [
        "\"yesterday\"", "\"2026-13-01T00:00:00Z\"", "\"2026-02-30T10:00:00Z\"", "\"\"", "\"12:00\"", "true", "1.5",
        "\"1796008650000.5\"", "{\"$date\":1}", "[1796008650000]",
    ]
    /// `status` values that are not whole numbers.
    static let badStatuses: [StaticString] = [
        "\"OK\"", "\"2OO\"", "\"\"", "true", "{\"code\":200}", "2.5", "\"200 OK\"",
    ]
    /// Byte sequences that are not UTF-8: a stray continuation lead, an overlong `/`, an encoded
    /// surrogate, a sequence cut short, a code point above U+10FFFF.
    static let invalidUTF8: [[UInt8]] = [
        [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80],
    ]

    mutating func encode(_ click: Click, shape: ClickShape, defect: ClickDefect?, to writer: inout EventWriter) {
        writer.byte(UInt8(ascii: "{"))
        if defect != .missingTimestamp {
            writer.text("\"ts\":")
            if defect == .badTimestamp {
                writer.text(Self.badTimestamps[random.below(Self.badTimestamps.count)])
            } else {
                Self.writeTimestamp(click.tsMs, shape.timestamp, to: &writer)
            }
            writer.byte(UInt8(ascii: ","))
        }
        writer.text("\"ip\":\"")
        writer.string(click.ip)
        writer.text("\",\"user_id\":\"")
        writer.string(click.userId)
        writer.text("\",\"url\":\"")
        writer.bytes(urlEntries[shape.urlRank].json)
        writer.text("\",\"referrer\":")
        if let referrer = shape.referrer {
            writer.byte(UInt8(ascii: "\""))
            writer.bytes(ClickCatalog.referrers[referrer].json)
            writer.byte(UInt8(ascii: "\""))
        } else {
            writer.text("null")
        }
        writer.text(",\"user_agent\":\"")
        writeAgent(shape.agent, broken: defect == .invalidUTF8, to: &writer)
        writer.text("\",\"status\":")
        if defect == .statusNotNumber {
            writer.text(Self.badStatuses[random.below(Self.badStatuses.count)])
        } else {
            if shape.statusAsString { writer.byte(UInt8(ascii: "\"")) }
            writer.decimal(click.status)
            if shape.statusAsString { writer.byte(UInt8(ascii: "\"")) }
        }
        writer.text(",\"bytes\":")
        writer.decimal(click.bytes)
        writer.byte(UInt8(ascii: "}"))
    }

    /// The user agent, with a sequence that is not UTF-8 in its middle when `broken`.
    mutating func writeAgent(_ agent: Int, broken: Bool, to writer: inout EventWriter) {
        let json = ClickCatalog.userAgents[agent].json
        guard broken else { return writer.bytes(json) }
        let middle = json.count / 2
        writer.bytes(Array(json[..<middle]))
        writer.bytes(Self.invalidUTF8[random.below(Self.invalidUTF8.count)])
        writer.bytes(Array(json[middle...]))
    }

    static func writeTimestamp(_ tsMs: Int64, _ form: ClickShape.TimestampForm, to writer: inout EventWriter) {
        switch form {
        case .epochMs:
            writer.decimal(tsMs)
        case .isoUTC, .isoSpace:
            writer.byte(UInt8(ascii: "\""))
            let first = writer.iso8601(tsMs)
            if case .isoSpace = form { first[10] = UInt8(ascii: " ") }
            writer.byte(UInt8(ascii: "\""))
        case .isoOffset(let minutes):
            writer.byte(UInt8(ascii: "\""))
            _ = writer.iso8601(tsMs + minutes * 60_000)
            writer.cursor -= 1  // the Z
            writer.byte(minutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            writer.decimal(UInt64(minutes.magnitude / 60), width: 2)
            writer.byte(UInt8(ascii: ":"))
            writer.decimal(UInt64(minutes.magnitude % 60), width: 2)
            writer.byte(UInt8(ascii: "\""))
        }
    }

    /// Where to cut an event of `length` bytes short: at least one byte in and never inside a
    /// UTF-8 sequence (so the line is malformed JSON, not invalid UTF-8).
    mutating func truncatedLength(_ event: UnsafeMutableBufferPointer<UInt8>, _ length: Int) -> Int {
        var cut = 1 + random.below(length - 1)
        while event[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }
}

extension ClickGenerator {
    /// The pv_uv example's stream columns (INT stores as BIGINT).
    public static let schema = Schema([
        Field("ts", .timestamp), Field("ip", .string), Field("user_id", .string), Field("url", .string),
        Field("referrer", .string), Field("user_agent", .string), Field("status", .int64), Field("bytes", .int64),
    ])

    /// The pv_uv example's `CREATE STREAM clicks`: JSON, event time `ts`, a 5 s watermark.
    public static func sourceSpec(topic: String = "website-logs", watermarkDelayMs: Int64 = 5_000) -> SourceSpec {
        SourceSpec(
            name: "clicks", topic: topic, format: .json, schema: schema, eventTimeColumn: 0,
            watermarkDelayMs: watermarkDelayMs)
    }
}
