/// A compact fixed-width table for the console sink, in the shape of Spark's `show()`:
///
///     +------------------------+---+
///     |window_start            | pv|
///     +------------------------+---+
///     |2026-11-30T03:17:30.000Z|  3|
///     +------------------------+---+
///
/// Numeric columns are right-aligned (header too), everything else left-aligned; NULL shows as `null`; a cell wider
/// than `cellWidthMax` characters is cut and ends in `...`; control characters show escaped.
public struct TableRenderer: Sendable {
    /// The widest a cell may be, in characters (at least 4).
    public var cellWidthMax: Int
    /// At most this many rows are shown, then a line says how many were left out.
    public var rowsMax: Int

    /// A renderer.
    public init(cellWidthMax: Int = 32, rowsMax: Int = 100) {
        self.cellWidthMax = max(4, cellWidthMax)
        self.rowsMax = max(0, rowsMax)
    }

    /// `batch` as a table, ending in a line break.
    public func render(_ batch: RecordBatch) -> String {
        let shown = min(batch.rowCount, rowsMax)
        let header = batch.schema.fields.map { fit($0.name) }
        let cells = (0..<shown).map { row in batch.columns.map { fit(text($0, row)) } }
        var widths = header.map(\.count)
        for row in cells { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        let rightAligned = batch.columns.map { $0.type.isNumeric }
        let border = "+" + widths.map { String(repeating: "-", count: $0) + "+" }.joined()
        func line(_ values: [String], alignRight: [Bool]) -> String {
            "|"
                + values.enumerated().map { index, value in
                    let padding = String(repeating: " ", count: widths[index] - value.count)
                    return (alignRight[index] ? padding + value : value + padding) + "|"
                }.joined()
        }
        var lines = [border, line(header, alignRight: rightAligned), border]
        lines += cells.map { line($0, alignRight: rightAligned) }
        lines.append(border)
        if batch.rowCount > shown {
            let left = batch.rowCount - shown
            lines.append("only showing the first \(shown) rows, \(left) more")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A cell's text, control characters escaped.
    func text(_ column: Column, _ row: Int) -> String {
        if column.isNull(row) { return "null" }
        var bytes: [UInt8] = []
        OutputValueText.appendPlain(column, row, to: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return String(
            text.unicodeScalars.map { scalar in
                scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
            }.joined())
    }

    /// `text` cut to `cellWidthMax` characters, ending in `...` when cut.
    func fit(_ text: String) -> String {
        guard text.count > cellWidthMax else { return text }
        return String(text.prefix(cellWidthMax - 3)) + "..."
    }
}
