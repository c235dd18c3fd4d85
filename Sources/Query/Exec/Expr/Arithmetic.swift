/// `+ - * / %` over whole columns. BIGINT arithmetic wraps on overflow (Spark without ANSI mode);
/// `/` always yields DOUBLE; dividing or taking `%` by zero yields NULL.
enum Arithmetic {
    static func apply(
        _ op: BinaryOperator, _ left: Column, _ right: Column, type: DataType, evaluator: ExprEvaluator
    ) throws -> Column {
        for column in [left, right] where !column.type.isNumeric && column.type != .timestamp {
            throw ExprError.typeMismatch(context: "arithmetic", found: column.type)
        }
        if op == .divide {
            return divide(evaluator.coerce(left, to: .double), evaluator.coerce(right, to: .double))
        }
        if type.storesInt64 && left.type.storesInt64 && right.type.storesInt64 {
            return integer(op, left, right, type: type)
        }
        let result = double(op, evaluator.coerce(left, to: .double), evaluator.coerce(right, to: .double))
        return evaluator.coerce(result, to: type)
    }

    private static func integer(_ op: BinaryOperator, _ left: Column, _ right: Column, type: DataType) -> Column {
        var nulls = Column.unionNulls(left, right)
        let values: [Int64]
        switch op {
        case .add: values = Kernels.zipMap(left.int64s, right.int64s, &+)
        case .subtract: values = Kernels.zipMap(left.int64s, right.int64s, &-)
        case .multiply: values = Kernels.zipMap(left.int64s, right.int64s, &*)
        default:
            // Int64.min % -1 overflows in Swift; its mathematical value is 0.
            values = Kernels.zipMap(left.int64s, right.int64s) { a, b in
                b == 0 ? 0 : a.remainderReportingOverflow(dividingBy: b).partialValue
            }
            nulls = zeroDivisorNulls(nulls, right.int64s.map { $0 == 0 })
        }
        return Column.int64s(type, values, nulls: nulls)
    }

    private static func double(_ op: BinaryOperator, _ left: Column, _ right: Column) -> Column {
        var nulls = Column.unionNulls(left, right)
        let values: [Double]
        switch op {
        case .add: values = Kernels.zipMap(left.doubles, right.doubles, +)
        case .subtract: values = Kernels.zipMap(left.doubles, right.doubles, -)
        case .multiply: values = Kernels.zipMap(left.doubles, right.doubles, *)
        default:
            values = Kernels.zipMap(left.doubles, right.doubles) { a, b in
                b == 0 ? 0 : a.truncatingRemainder(dividingBy: b)
            }
            nulls = zeroDivisorNulls(nulls, right.doubles.map { $0 == 0 })
        }
        return Column.doubles(values, nulls: nulls)
    }

    private static func divide(_ left: Column, _ right: Column) -> Column {
        let values = Kernels.zipMap(left.doubles, right.doubles) { a, b in b == 0 ? 0 : a / b }
        let nulls = zeroDivisorNulls(Column.unionNulls(left, right), right.doubles.map { $0 == 0 })
        return Column.doubles(values, nulls: nulls)
    }

    /// The operands' nulls plus the rows whose divisor is zero.
    private static func zeroDivisorNulls(_ nulls: [Bool], _ zero: [Bool]) -> [Bool] {
        guard zero.contains(true) else { return nulls }
        return nulls.isEmpty ? zero : Kernels.zipMap(nulls, zero) { $0 || $1 }
    }
}
