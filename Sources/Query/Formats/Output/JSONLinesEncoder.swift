/// Rows as JSON objects, one per line: what the file sink (`format = 'jsonl'`) writes and what
/// topic sink values hold. `{"window_start":"2026-11-30T03:17:30.000Z","pv":3}`: keys are the
/// schema's names in order, NULL is `null`, timestamps are ISO-8601 UTC strings with
/// milliseconds, doubles are written shortest-exact, and NaN and infinities (which JSON cannot
/// hold) are `null`, as Spark's JSON writer does.
public enum JSONLinesEncoder {
    /// Appends row `row` of `batch` as one JSON object, without a line break.
    public static func appendRow(_ row: Int, of batch: RecordBatch, to output: inout [UInt8]) {
        let keys = keyPrefixes(batch.schema)
        appendRow(row, of: batch, keys: keys, to: &output)
    }

    /// Appends every row of `batch`, each followed by `\n`.
    public static func append(_ batch: RecordBatch, to output: inout [UInt8]) {
        let keys = keyPrefixes(batch.schema)
        for row in 0..<batch.rowCount {
            appendRow(row, of: batch, keys: keys, to: &output)
            output.append(0x0A)
        }
    }

    /// Every row of `batch` as JSON lines.
    public static func encode(_ batch: RecordBatch) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(batch.rowCount * 64)
        append(batch, to: &output)
        return output
    }

    /// `"name":` for every column, computed once per batch.
    static func keyPrefixes(_ schema: Schema) -> [[UInt8]] {
        schema.fields.map { field in
            var key: [UInt8] = []
            JSONStringEscaping.appendQuoted(field.name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
    }

    static func appendRow(_ row: Int, of batch: RecordBatch, keys: [[UInt8]], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, column) in batch.columns.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: keys[index])
            appendValue(column, row, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    static func appendValue(_ column: Column, _ row: Int, to output: inout [UInt8]) {
        if column.isNull(row) { return output.append(contentsOf: "null".utf8) }
        switch column.type {
        case .string:
            column.strings.withBytes(at: row) { JSONStringEscaping.appendQuoted($0, to: &output) }
        case .timestamp:
            output.append(UInt8(ascii: "\""))
            TimestampCodec.appendISO8601(epochMs: column.int64s[row], to: &output)
            output.append(UInt8(ascii: "\""))
        case .double where !column.doubles[row].isFinite:
            output.append(contentsOf: "null".utf8)
        case .bool, .int64, .double:
            OutputValueText.appendPlain(column, row, to: &output)
        }
    }
}
