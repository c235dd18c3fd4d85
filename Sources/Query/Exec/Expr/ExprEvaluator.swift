/// Evaluates `expr` over every row of `batch` at once: each operator runs as one loop over whole
/// columns, never as a tree walk per row. SQL NULL semantics throughout; a value an operator cannot
/// produce (a failed cast, a division by zero) is NULL, as in Spark.
public func evaluate(_ expr: BoundExpr, _ batch: RecordBatch) throws -> Column {
    var evaluator = ExprEvaluator(batch: batch)
    return try evaluator.evaluate(expr)
}

/// Evaluates expressions over one batch, keeping what it compiles (regexes) for the batch.
struct ExprEvaluator {
    /// The input rows.
    let batch: RecordBatch
    /// Rows in `batch`; every column produced has this length.
    let rowCount: Int
    /// Compiled `regexp_extract` patterns, by pattern text, for this batch.
    var regexes: [String: CompiledRegex] = [:]

    init(batch: RecordBatch) {
        self.batch = batch
        self.rowCount = batch.rowCount
    }

    /// The column of `expr`'s values, one per row of the batch.
    mutating func evaluate(_ expr: BoundExpr) throws -> Column {
        switch expr {
        case .column(let index, let type):
            return try columnReference(index, type)
        case .literal(let value, let type):
            return literal(value, type: type)
        case .unary(let op, let operand, let type):
            return try unary(op, try evaluate(operand), type: type)
        case .binary(let op, let left, let right, let type):
            return try binary(op, try evaluate(left), try evaluate(right), type: type)
        case .isNull(let operand, let negated):
            let column = try evaluate(operand)
            let flags = column.nullFlags
            return Column.bools(negated ? flags.map { !$0 } : flags, nulls: [])
        case .inList(let operand, let list, let negated):
            return try inList(try evaluate(operand), list, negated: negated)
        case .like(let operand, let pattern, let negated):
            let column = try evaluate(operand)
            guard column.type == .string else { throw ExprError.typeMismatch(context: "LIKE", found: column.type) }
            return LikePattern(pattern).matches(column, negated: negated)
        case .caseWhen(let clauses, let otherwise, let type):
            return try caseWhen(clauses, otherwise: otherwise, type: type)
        case .cast(let operand, let type):
            return Cast.cast(try evaluate(operand), to: type)
        case .function(let function, let arguments, let type):
            return try call(function, arguments, type: type)
        }
    }

    private func columnReference(_ index: Int, _ type: DataType) throws -> Column {
        guard index >= 0, index < batch.columns.count else {
            throw ExprError.columnOutOfRange(index: index, columns: batch.columns.count)
        }
        let column = batch.columns[index]
        if column.type == type { return column }
        guard column.type.storesInt64 && type.storesInt64 else {
            throw ExprError.typeMismatch(context: "a \(type) column reference", found: column.type)
        }
        return Column(type, count: column.count, nulls: column.nulls, int64s: column.int64s)
    }

    private func literal(_ value: Value, type: DataType) -> Column {
        if let column = Column.constant(value, type: type, count: rowCount) { return column }
        // A literal of another type (the analyzer may leave `1` where a DOUBLE is used) is cast once.
        guard let own = value.type, let one = Column.constant(value, type: own, count: 1) else {
            return Column.allNull(type, count: rowCount)
        }
        let converted = Cast.cast(one, to: type).value(at: 0)
        return Column.constant(converted, type: type, count: rowCount) ?? Column.allNull(type, count: rowCount)
    }

    /// `column` as `type`: unchanged when the storage matches, otherwise cast.
    func coerce(_ column: Column, to type: DataType) -> Column {
        if column.type == type { return column }
        if column.type.storesInt64 && type.storesInt64 {
            return Column(type, count: column.count, nulls: column.nulls, int64s: column.int64s)
        }
        return Cast.cast(column, to: type)
    }

    private func unary(_ op: UnaryOperator, _ operand: Column, type: DataType) throws -> Column {
        switch op {
        case .not:
            guard operand.type == .bool else { throw ExprError.typeMismatch(context: "NOT", found: operand.type) }
            return Column.bools(operand.bools.map { !$0 }, nulls: operand.nulls)
        case .negate:
            switch operand.type {
            case .int64, .timestamp:
                return coerce(
                    Column.int64s(operand.type, operand.int64s.map { 0 &- $0 }, nulls: operand.nulls), to: type)
            case .double:
                return coerce(Column.doubles(operand.doubles.map { -$0 }, nulls: operand.nulls), to: type)
            case .bool, .string:
                throw ExprError.typeMismatch(context: "unary -", found: operand.type)
            }
        }
    }

    private func binary(_ op: BinaryOperator, _ left: Column, _ right: Column, type: DataType) throws -> Column {
        switch op {
        case .add, .subtract, .multiply, .divide, .modulo:
            return try Arithmetic.apply(op, left, right, type: type, evaluator: self)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            return try Comparison.apply(op, left, right, evaluator: self)
        case .and, .or:
            guard left.type == .bool, right.type == .bool else {
                throw ExprError.typeMismatch(
                    context: op == .and ? "AND" : "OR", found: left.type == .bool ? right.type : left.type)
            }
            return op == .and ? Logic.and(left, right) : Logic.or(left, right)
        case .concat:
            return Logic.concat(coerce(left, to: .string), coerce(right, to: .string))
        }
    }

    private mutating func inList(_ operand: Column, _ list: [BoundExpr], negated: Bool) throws -> Column {
        // x IN (a, b) is x = a OR x = b under three-valued logic, NULLs included.
        var result = Column.bools([Bool](repeating: false, count: rowCount), nulls: [])
        for item in list {
            let equal = try Comparison.apply(.equal, operand, try evaluate(item), evaluator: self)
            result = Logic.or(result, equal)
        }
        return negated ? Column.bools(result.bools.map { !$0 }, nulls: result.nulls) : result
    }
}
