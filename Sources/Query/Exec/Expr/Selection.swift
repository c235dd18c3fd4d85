/// Filtering: a selection of row numbers where a predicate holds, and gathers that keep them.
public enum Selection {
    /// The rows where `predicate` (a BOOLEAN column) is true; false and NULL rows are left out.
    public static func rows(where predicate: Column) -> [Int32] {
        precondition(predicate.type == .bool, "a predicate column is BOOLEAN")
        var rows: [Int32] = []
        rows.reserveCapacity(predicate.count)
        predicate.bools.withUnsafeBufferPointer { values in
            // A null row's slot holds false, so the values alone decide.
            for row in 0..<values.count where values[row] { rows.append(Int32(truncatingIfNeeded: row)) }
        }
        return rows
    }

    /// The rows of `batch` where `predicate` is true, in order.
    public static func filter(_ batch: RecordBatch, where predicate: BoundExpr) throws -> RecordBatch {
        let column = try evaluate(predicate, batch)
        guard column.type == .bool else { throw ExprError.typeMismatch(context: "WHERE", found: column.type) }
        return batch.gathering(rows(where: column))
    }
}

extension RecordBatch {
    /// A batch of rows `rows` of this one, in the order given.
    public func gathering(_ rows: [Int32]) -> RecordBatch {
        RecordBatch(schema: schema, columns: columns.map { $0.gathering(rows) })
    }
}

extension Column {
    /// A column of rows `rows` of this one, in the order given.
    public func gathering(_ rows: [Int32]) -> Column {
        let nulls = hasNulls ? Kernels.map(rows) { self.nulls[Int($0)] } : []
        switch type {
        case .bool: return Column(type, count: rows.count, nulls: nulls, bools: Kernels.map(rows) { bools[Int($0)] })
        case .int64, .timestamp:
            return Column(type, count: rows.count, nulls: nulls, int64s: Kernels.map(rows) { int64s[Int($0)] })
        case .double:
            return Column(type, count: rows.count, nulls: nulls, doubles: Kernels.map(rows) { doubles[Int($0)] })
        case .string:
            var out = StringColumnStorage()
            out.offsets.reserveCapacity(rows.count + 1)
            strings.bytes.withUnsafeBufferPointer { bytes in
                for row in rows {
                    out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[strings.range(at: Int(row))]))
                    out.offsets.append(out.bytes.count)
                }
            }
            return Column(type, count: rows.count, nulls: nulls, strings: out)
        }
    }
}
