/// `= <> < <= > >=` over whole columns of any type: numbers numerically (a BIGINT against a DOUBLE
/// as DOUBLE, NaN above everything), strings bytewise (Unicode code point order), false < true.
enum Comparison {
    static func apply(_ op: BinaryOperator, _ left: Column, _ right: Column, evaluator: ExprEvaluator) throws -> Column
    {
        let (a, b) = try common(left, right, evaluator: evaluator)
        let values: [Bool]
        switch a.type {
        case .int64, .timestamp:
            values = compare(op, a.int64s, b.int64s)
        case .double:
            values = compare(
                op, Kernels.map(a.doubles, Kernels.doubleOrderKey), Kernels.map(b.doubles, Kernels.doubleOrderKey))
        case .bool:
            values = compare(op, Kernels.map(a.bools) { $0 ? 1 : 0 }, Kernels.map(b.bools) { $0 ? 1 : 0 } as [UInt8])
        case .string:
            values = strings(op, a.strings, b.strings)
        }
        return Column.bools(values, nulls: Column.unionNulls(a, b))
    }

    /// Both operands at one type: numbers meet at DOUBLE unless both store int64; otherwise the
    /// right side is cast to the left's type (the analyzer normally did that already).
    private static func common(_ left: Column, _ right: Column, evaluator: ExprEvaluator) throws -> (Column, Column) {
        if left.type == right.type || (left.type.storesInt64 && right.type.storesInt64) { return (left, right) }
        if left.type.isNumeric && right.type.isNumeric {
            return (evaluator.coerce(left, to: .double), evaluator.coerce(right, to: .double))
        }
        if left.type == .string { return (evaluator.coerce(left, to: right.type), right) }
        return (left, evaluator.coerce(right, to: left.type))
    }

    @inline(__always)
    private static func compare<T: Comparable>(_ op: BinaryOperator, _ a: [T], _ b: [T]) -> [Bool] {
        switch op {
        case .equal: Kernels.zipMap(a, b, ==)
        case .notEqual: Kernels.zipMap(a, b, !=)
        case .less: Kernels.zipMap(a, b, <)
        case .lessOrEqual: Kernels.zipMap(a, b, <=)
        case .greater: Kernels.zipMap(a, b, >)
        default: Kernels.zipMap(a, b, >=)
        }
    }

    private static func strings(_ op: BinaryOperator, _ a: StringColumnStorage, _ b: StringColumnStorage) -> [Bool] {
        var out = [Bool](repeating: false, count: a.count)
        a.bytes.withUnsafeBufferPointer { bytesA in
            b.bytes.withUnsafeBufferPointer { bytesB in
                for row in 0..<a.count {
                    let order = compareBytes(
                        UnsafeBufferPointer(rebasing: bytesA[a.range(at: row)]),
                        UnsafeBufferPointer(rebasing: bytesB[b.range(at: row)]))
                    out[row] = holds(op, order)
                }
            }
        }
        return out
    }

    /// Whether `op` holds for a -1/0/1 ordering.
    @inline(__always)
    static func holds(_ op: BinaryOperator, _ order: Int) -> Bool {
        switch op {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        default: order >= 0
        }
    }
}
