/// Rows as CSV (RFC 4180): what the file sink (`format = 'csv'`) writes. A header line of column
/// names, then one line per row, each ending in `\n`. A field is quoted (quotes doubled) when it
/// holds the delimiter, a quote or a line break, and an empty string is written `""` so that it
/// reads back differently from NULL, which is an empty field. Timestamps are ISO-8601 UTC; NaN and
/// infinities are `NaN`, `Inf`, `-Inf` (the spellings Spark's CSV reader takes).
public enum CSVEncoder {
    /// Appends the header line.
    public static func appendHeader(_ schema: Schema, delimiter: UInt8 = UInt8(ascii: ","), to output: inout [UInt8]) {
        for (index, field) in schema.fields.enumerated() {
            if index > 0 { output.append(delimiter) }
            var name = field.name
            name.withUTF8 { appendField(UnsafeRawBufferPointer($0), delimiter: delimiter, to: &output) }
        }
        output.append(0x0A)
    }

    /// Appends row `row` of `batch` as one line, with its line break.
    public static func appendRow(
        _ row: Int, of batch: RecordBatch, delimiter: UInt8 = UInt8(ascii: ","), to output: inout [UInt8]
    ) {
        var text: [UInt8] = []
        for (index, column) in batch.columns.enumerated() {
            if index > 0 { output.append(delimiter) }
            if column.isNull(row) { continue }
            if column.type == .string {
                column.strings.withBytes(at: row) { appendField($0, delimiter: delimiter, to: &output) }
            } else {
                text.removeAll(keepingCapacity: true)
                OutputValueText.appendPlain(column, row, to: &text)
                output.append(contentsOf: text)
            }
        }
        output.append(0x0A)
    }

    /// `batch` as CSV, with a header line unless `header` is false.
    public static func encode(_ batch: RecordBatch, delimiter: UInt8 = UInt8(ascii: ","), header: Bool = true)
        -> [UInt8]
    {
        var output: [UInt8] = []
        if header { appendHeader(batch.schema, delimiter: delimiter, to: &output) }
        for row in 0..<batch.rowCount { appendRow(row, of: batch, delimiter: delimiter, to: &output) }
        return output
    }

    /// One field's text, quoted when it must be.
    static func appendField(_ text: UnsafeRawBufferPointer, delimiter: UInt8, to output: inout [UInt8]) {
        let needsQuotes =
            text.isEmpty
            || text.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { return output.append(contentsOf: text) }
        output.append(UInt8(ascii: "\""))
        for byte in text {
            output.append(byte)
            if byte == UInt8(ascii: "\"") { output.append(byte) }
        }
        output.append(UInt8(ascii: "\""))
    }
}
