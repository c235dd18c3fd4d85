/// Three-valued AND and OR, and string concatenation.
enum Logic {
    /// false AND anything is false; otherwise NULL if either side is NULL.
    static func and(_ left: Column, _ right: Column) -> Column {
        let values = Kernels.zipMap(left.bools, right.bools) { $0 && $1 }
        guard left.hasNulls || right.hasNulls else { return Column.bools(values, nulls: []) }
        let leftNulls = left.nullFlags
        let rightNulls = right.nullFlags
        var nulls = [Bool](repeating: false, count: values.count)
        for row in 0..<values.count {
            let leftFalse = !leftNulls[row] && !left.bools[row]
            let rightFalse = !rightNulls[row] && !right.bools[row]
            nulls[row] = !leftFalse && !rightFalse && (leftNulls[row] || rightNulls[row])
        }
        return Column.bools(values, nulls: nulls)
    }

    /// true OR anything is true; otherwise NULL if either side is NULL.
    static func or(_ left: Column, _ right: Column) -> Column {
        // A null slot holds false, so `||` of the slots already says whether a known true is present.
        let values = Kernels.zipMap(left.bools, right.bools) { $0 || $1 }
        guard left.hasNulls || right.hasNulls else { return Column.bools(values, nulls: []) }
        let leftNulls = left.nullFlags
        let rightNulls = right.nullFlags
        var nulls = [Bool](repeating: false, count: values.count)
        for row in 0..<values.count where !values[row] {
            nulls[row] = leftNulls[row] || rightNulls[row]
        }
        return Column.bools(values, nulls: nulls)
    }

    /// `a || b`; NULL when either is NULL, as Spark's concat.
    static func concat(_ left: Column, _ right: Column) -> Column {
        let nulls = Column.unionNulls(left, right)
        var out = StringColumnStorage()
        out.reserve(rows: left.count, bytesPerRow: 0)
        out.bytes.reserveCapacity(left.strings.bytes.count + right.strings.bytes.count)
        for row in 0..<left.count {
            if nulls.isEmpty || !nulls[row] {
                out.bytes.append(contentsOf: left.strings.bytes[left.strings.range(at: row)])
                out.bytes.append(contentsOf: right.strings.bytes[right.strings.range(at: row)])
            }
            out.offsets.append(out.bytes.count)
        }
        return Column.strings(out, nulls: nulls)
    }
}
