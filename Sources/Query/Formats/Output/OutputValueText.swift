/// How sinks write single values: shared by the JSON, CSV and table outputs.
enum OutputValueText {
    /// A finite double in the shortest text that reads back as the same double (`0.1`, `1e-05`,
    /// `1.0`), as Swift, Java and JavaScript print them: no `%.17g` noise.
    static func appendDouble(_ value: Double, to output: inout [UInt8]) {
        output.append(contentsOf: value.description.utf8)
    }

    /// Appends the value of `column` at `row` as plain text (no quoting): a decimal, `true`/`false`,
    /// ISO-8601 UTC for timestamps, the string's bytes; `nonFinite` for NaN and infinities.
    static func appendPlain(_ column: Column, _ row: Int, to output: inout [UInt8]) {
        switch column.type {
        case .bool: output.append(contentsOf: (column.bools[row] ? "true" : "false").utf8)
        case .int64: DecimalText.append(column.int64s[row], to: &output)
        case .timestamp: TimestampCodec.appendISO8601(epochMs: column.int64s[row], to: &output)
        case .double:
            let value = column.doubles[row]
            if value.isFinite {
                appendDouble(value, to: &output)
            } else {
                output.append(contentsOf: (value.isNaN ? "NaN" : value < 0 ? "-Inf" : "Inf").utf8)
            }
        case .string: column.strings.withBytes(at: row) { output.append(contentsOf: $0) }
        }
    }
}
