/// `CAST(x AS type)` over a whole column. A value that does not convert is NULL (Spark without
/// ANSI mode). Chosen where Spark differs from Spate's types: TIMESTAMP ↔ BIGINT/DOUBLE count
/// milliseconds (Spate's TIMESTAMP unit), not seconds; DOUBLE → BIGINT truncates toward zero and
/// saturates, NaN → 0 (Java's conversion); a DOUBLE prints as Swift's shortest round-trip form.
enum Cast {
    static func cast(_ column: Column, to type: DataType) -> Column {
        if column.type == type { return column }
        switch type {
        case .string: return toString(column)
        case .bool: return toBool(column)
        case .double: return toDouble(column)
        case .int64, .timestamp: return toInt64(column, type: type)
        }
    }

    private static func toInt64(_ column: Column, type: DataType) -> Column {
        switch column.type {
        case .int64, .timestamp:
            return Column(type, count: column.count, nulls: column.nulls, int64s: column.int64s)
        case .bool:
            return Column.int64s(type, column.bools.map { $0 ? 1 : 0 }, nulls: column.nulls)
        case .double:
            if type == .timestamp {
                let nulls = column.doubles.map { !$0.isFinite }
                return Column.int64s(type, column.doubles.map(saturating), nulls: orNulls(column, nulls))
            }
            return Column.int64s(type, column.doubles.map(saturating), nulls: column.nulls)
        case .string:
            return parsed(column, type: type) {
                type == .timestamp ? TimestampParsing.parse($0) : TextParsing.int64($0)
            }
        }
    }

    /// Java's double-to-long: truncation, saturation at the ends, NaN as 0.
    private static func saturating(_ value: Double) -> Int64 {
        if value.isNaN { return 0 }
        if value >= 9_223_372_036_854_775_807.0 { return Int64.max }
        if value <= -9_223_372_036_854_775_808.0 { return Int64.min }
        return Int64(value)
    }

    private static func toDouble(_ column: Column) -> Column {
        switch column.type {
        case .double: return column
        case .int64, .timestamp: return Column.doubles(column.int64s.map { Double($0) }, nulls: column.nulls)
        case .bool: return Column.doubles(column.bools.map { $0 ? 1 : 0 }, nulls: column.nulls)
        case .string:
            var values = [Double](repeating: 0, count: column.count)
            var nulls = column.nullFlags
            for row in 0..<column.count where !nulls[row] {
                if let value = column.strings.withBytes(at: row, TextParsing.double) {
                    values[row] = value
                } else {
                    nulls[row] = true
                }
            }
            return Column.doubles(values, nulls: nulls)
        }
    }

    private static func toBool(_ column: Column) -> Column {
        switch column.type {
        case .bool: return column
        case .int64: return Column.bools(column.int64s.map { $0 != 0 }, nulls: column.nulls)
        case .double: return Column.bools(column.doubles.map { $0 != 0 }, nulls: column.nulls)
        case .timestamp: return Column.allNull(.bool, count: column.count)
        case .string:
            var values = [Bool](repeating: false, count: column.count)
            var nulls = column.nullFlags
            for row in 0..<column.count where !nulls[row] {
                if let value = column.strings.withBytes(at: row, TextParsing.bool) {
                    values[row] = value
                } else {
                    nulls[row] = true
                }
            }
            return Column.bools(values, nulls: nulls)
        }
    }

    private static func toString(_ column: Column) -> Column {
        var out = StringColumnStorage()
        out.reserve(rows: column.count, bytesPerRow: 12)
        for row in 0..<column.count {
            if !column.isNull(row) {
                switch column.type {
                case .bool: out.bytes.append(contentsOf: (column.bools[row] ? "true" : "false").utf8)
                case .int64: out.bytes.append(contentsOf: String(column.int64s[row]).utf8)
                case .timestamp: out.bytes.append(contentsOf: CivilTime.iso8601(column.int64s[row]).utf8)
                case .double: out.bytes.append(contentsOf: doubleText(column.doubles[row]).utf8)
                case .string: out.bytes.append(contentsOf: column.strings.bytes[column.strings.range(at: row)])
                }
            }
            out.offsets.append(out.bytes.count)
        }
        return Column.strings(out, nulls: column.nulls)
    }

    /// Spark spells the special values `NaN`, `Infinity` and `-Infinity`.
    static func doubleText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return String(value)
    }

    private static func parsed(
        _ column: Column, type: DataType, _ parse: (UnsafeRawBufferPointer) -> Int64?
    ) -> Column {
        var values = [Int64](repeating: 0, count: column.count)
        var nulls = column.nullFlags
        for row in 0..<column.count where !nulls[row] {
            if let value = column.strings.withBytes(at: row, parse) {
                values[row] = value
            } else {
                nulls[row] = true
            }
        }
        return Column.int64s(type, values, nulls: nulls)
    }

    private static func orNulls(_ column: Column, _ more: [Bool]) -> [Bool] {
        column.hasNulls ? Kernels.zipMap(column.nulls, more) { $0 || $1 } : more
    }
}
