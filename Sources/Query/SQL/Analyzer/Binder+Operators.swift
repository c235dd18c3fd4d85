extension Binder {
    mutating func boolOperand(_ expr: Expr, of what: String) throws(SQLError) -> BoundExpr {
        let bound = try bind(expr)
        guard let converted = Coercion.convert(bound, to: .bool) else {
            throw SQLError(
                "\(what) needs a BOOLEAN operand, found \(Self.describe(expr, bound))\(whereText)", at: expr.start)
        }
        return converted
    }

    /// Any value as STRING, as Spark casts implicitly for string operations.
    mutating func stringOperand(_ expr: Expr) throws(SQLError) -> BoundExpr {
        let bound = try bind(expr)
        return Coercion.convert(bound, to: .string) ?? .cast(bound, to: .string)
    }

    mutating func bindNegate(_ operand: Expr, at position: SourcePosition) throws(SQLError) -> BoundExpr {
        let bound = try bind(operand)
        if case .literal(.double(let value), _) = bound { return .literal(.double(-value), type: .double) }
        if Coercion.isNullLiteral(bound) { return .literal(.null, type: .int64) }
        guard bound.type.isNumeric else {
            throw SQLError(
                "unary '-' needs BIGINT or DOUBLE, found \(Self.describe(operand, bound))\(whereText)", at: position)
        }
        return .unary(.negate, bound, type: bound.type)
    }

    mutating func bindBinary(_ op: BinaryOperator, _ left: Expr, _ right: Expr, at position: SourcePosition)
        throws(SQLError) -> BoundExpr
    {
        switch op {
        case .and, .or:
            let name = op == .and ? "AND" : "OR"
            return .binary(op, try boolOperand(left, of: name), try boolOperand(right, of: name), type: .bool)
        case .concat:
            return .binary(.concat, try stringOperand(left), try stringOperand(right), type: .string)
        case .add, .subtract, .multiply, .divide, .modulo:
            return try arithmetic(op, left, try bind(left), right, try bind(right), at: position)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            return try compare(op, left, try bind(left), right, try bind(right), at: position)
        }
    }

    /// `+ - * %` stay BIGINT on two BIGINTs and are DOUBLE otherwise; `/` is always DOUBLE.
    private func arithmetic(
        _ op: BinaryOperator, _ left: Expr, _ leftBound: BoundExpr, _ right: Expr, _ rightBound: BoundExpr,
        at position: SourcePosition
    ) throws(SQLError) -> BoundExpr {
        var (l, r) = (leftBound, rightBound)
        if Coercion.isNullLiteral(l) { l = .literal(.null, type: r.type.isNumeric ? r.type : .int64) }
        if Coercion.isNullLiteral(r) { r = .literal(.null, type: l.type) }
        guard l.type.isNumeric, r.type.isNumeric else {
            throw SQLError(
                "operator '\(SQLText.symbol(op))' needs BIGINT or DOUBLE operands, found \(Self.describe(left, leftBound)) and \(Self.describe(right, rightBound))\(whereText)",
                at: position)
        }
        if op != .divide && l.type == .int64 && r.type == .int64 { return .binary(op, l, r, type: .int64) }
        return .binary(op, Coercion.toDouble(l), Coercion.toDouble(r), type: .double)
    }

    /// A comparison on a common type; a string literal on one side is read as the other side's type.
    func compare(
        _ op: BinaryOperator, _ left: Expr, _ leftBound: BoundExpr, _ right: Expr, _ rightBound: BoundExpr,
        at position: SourcePosition
    ) throws(SQLError) -> BoundExpr {
        let both = [leftBound, rightBound]
        guard let type = Coercion.commonType(both, parsingStrings: true) ?? Coercion.nullTypeIfAllNull(both) else {
            throw SQLError(
                "cannot compare \(Self.describe(left, leftBound)) with \(Self.describe(right, rightBound))\(whereText)",
                at: position)
        }
        guard let l = Coercion.convert(leftBound, to: type, parsingStrings: true) else {
            throw unreadable(left, as: type)
        }
        guard let r = Coercion.convert(rightBound, to: type, parsingStrings: true) else {
            throw unreadable(right, as: type)
        }
        return .binary(op, l, r, type: .bool)
    }

    /// A string literal that does not read as the type it is compared with.
    func unreadable(_ expr: Expr, as type: DataType) -> SQLError {
        let example =
            switch type {
            case .timestamp: " (expected e.g. '2026-01-01 00:00:00')"
            case .bool: " (expected 'true' or 'false')"
            default: ""
            }
        return SQLError(
            "cannot read \(SQLText.quoted(expr)) as \(type)\(example)\(whereText)", at: expr.start)
    }

    /// `x IN (a, b, ...)` on the type all of them share.
    mutating func bindIn(_ operand: Expr, _ list: [Expr], negated: Bool) throws(SQLError) -> BoundExpr {
        let value = try bind(operand)
        var items: [BoundExpr] = []
        for item in list { items.append(try bind(item)) }
        let all = [value] + items
        guard let type = Coercion.commonType(all, parsingStrings: true) ?? Coercion.nullTypeIfAllNull(all) else {
            for (item, bound) in zip(list, items)
            where Coercion.commonType([value, bound], parsingStrings: true) == nil {
                throw SQLError(
                    "IN list item \(Self.describe(item, bound)) does not match \(Self.describe(operand, value))\(whereText)",
                    at: item.start)
            }
            throw SQLError("the items of the IN list have different types\(whereText)", at: operand.start)
        }
        guard let operandValue = Coercion.convert(value, to: type, parsingStrings: true) else {
            throw unreadable(operand, as: type)
        }
        var converted: [BoundExpr] = []
        for (item, bound) in zip(list, items) {
            guard let done = Coercion.convert(bound, to: type, parsingStrings: true) else {
                throw unreadable(item, as: type)
            }
            converted.append(done)
        }
        return .inList(operandValue, converted, negated: negated)
    }

    mutating func bindLike(_ operand: Expr, _ pattern: Expr, negated: Bool) throws(SQLError) -> BoundExpr {
        let value = try stringOperand(operand)
        guard case .literal(.string(let text)) = pattern.kind else {
            throw SQLError(
                "LIKE needs a string literal pattern such as '%.html', found \(SQLText.quoted(pattern))",
                at: pattern.start)
        }
        return .like(value, pattern: text, negated: negated)
    }

    /// `x BETWEEN a AND b` is `x >= a AND x <= b`; NOT BETWEEN is `x < a OR x > b`.
    mutating func bindBetween(_ operand: Expr, _ low: Expr, _ high: Expr, negated: Bool, at position: SourcePosition)
        throws(SQLError) -> BoundExpr
    {
        let value = try bind(operand)
        let lowBound = try bind(low)
        let highBound = try bind(high)
        let lower = try compare(negated ? .less : .greaterOrEqual, operand, value, low, lowBound, at: position)
        let upper = try compare(negated ? .greater : .lessOrEqual, operand, value, high, highBound, at: position)
        return .binary(negated ? .or : .and, lower, upper, type: .bool)
    }

    /// A searched CASE; `CASE x WHEN v` becomes `CASE WHEN x = v`.
    mutating func bindCase(_ operand: Expr?, _ whens: WhenPairs, _ otherwise: Expr?, at position: SourcePosition)
        throws(SQLError) -> BoundExpr
    {
        let operandBound = try operand.map { (expr) throws(SQLError) in try bind(expr) }
        var conditions: [BoundExpr] = []
        var results: [BoundExpr] = []
        for (condition, result) in whens.pairs {
            if let operand, let operandBound {
                let value = try bind(condition)
                conditions.append(try compare(.equal, operand, operandBound, condition, value, at: condition.start))
            } else {
                conditions.append(try boolOperand(condition, of: "WHEN"))
            }
            results.append(try bind(result))
        }
        let otherwiseBound = try otherwise.map { (expr) throws(SQLError) in try bind(expr) }
        let branches = results + (otherwiseBound.map { [$0] } ?? [])
        guard let type = Coercion.commonType(branches, parsingStrings: false) ?? Coercion.nullTypeIfAllNull(branches)
        else {
            let types = branches.filter { !Coercion.isNullLiteral($0) }.map(\.type.description)
            throw SQLError(
                "the branches of CASE have different types (\(types.joined(separator: ", ")))\(whereText)", at: position
            )
        }
        var clauses: [WhenClause] = []
        for (condition, result) in zip(conditions, results) {
            clauses.append(WhenClause(condition: condition, result: Coercion.convert(result, to: type) ?? result))
        }
        let elseValue = otherwiseBound.map { Coercion.convert($0, to: type) ?? $0 }
        return .caseWhen(clauses, otherwise: elseValue, type: type)
    }

    mutating func bindCast(_ operand: Expr, to type: DataType, at position: SourcePosition) throws(SQLError)
        -> BoundExpr
    {
        let bound = try bind(operand)
        if Coercion.isNullLiteral(bound) { return .literal(.null, type: type) }
        if bound.type == type { return bound }
        let forbidden: Set<DataType> = [.bool, .timestamp]
        guard !(forbidden.contains(bound.type) && forbidden.contains(type)) else {
            throw SQLError("cannot CAST \(bound.type) to \(type)\(whereText)", at: position)
        }
        return .cast(bound, to: type)
    }
}
