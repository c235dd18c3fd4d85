extension BoundExpr {
    /// The expression as readable SQL, columns shown as `name#index` of `schema` (the batch the
    /// expression reads), so the binding can be checked by eye.
    public func explain(in schema: Schema) -> String {
        func text(_ expr: BoundExpr) -> String { expr.explain(in: schema) }
        switch self {
        case .column(let index, _):
            let name = index < schema.count ? schema.fields[index].name : "?"
            return "\(name)#\(index)"
        case .literal(let value, let type): return Self.explain(value, type)
        case .unary(.negate, let operand, _): return "-\(text(operand))"
        case .unary(.not, let operand, _): return "NOT \(text(operand))"
        case .binary(let op, let left, let right, _): return "(\(text(left)) \(SQLText.symbol(op)) \(text(right)))"
        case .isNull(let operand, let negated): return "(\(text(operand)) IS \(negated ? "NOT " : "")NULL)"
        case .inList(let operand, let list, let negated):
            return "(\(text(operand)) \(negated ? "NOT " : "")IN (\(list.map(text).joined(separator: ", "))))"
        case .like(let operand, let pattern, let negated):
            return "(\(text(operand)) \(negated ? "NOT " : "")LIKE \(Self.explain(.string(pattern), .string)))"
        case .caseWhen(let clauses, let otherwise, _):
            let whens = clauses.map { "WHEN \(text($0.condition)) THEN \(text($0.result))" }
            let elsePart = otherwise.map { " ELSE \(text($0))" } ?? ""
            return "CASE \(whens.joined(separator: " "))\(elsePart) END"
        case .cast(let operand, let type): return "CAST(\(text(operand)) AS \(type))"
        case .function(let function, let arguments, _):
            return "\(function.rawValue)(\(arguments.map(text).joined(separator: ", ")))"
        }
    }

    private static func explain(_ value: Value, _ type: DataType) -> String {
        switch value {
        case .null: "CAST(NULL AS \(type))"
        case .string(let text):
            "'\(text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''"))'"
        case .timestamp(let ms): "TIMESTAMP '\(TimestampText.format(ms))'"
        default: value.description
        }
    }
}

extension AggregateCall {
    /// `count(DISTINCT user_id#2)`, arguments shown over `schema` (the input batch).
    public func explain(in schema: Schema) -> String {
        let argument = self.argument?.explain(in: schema) ?? "*"
        switch kind {
        case .countStar: return "count(*)"
        case .count: return "count(\(argument))"
        case .countDistinct: return "count(DISTINCT \(argument))"
        case .approxCountDistinct: return "approx_count_distinct(\(argument))"
        case .sum: return "sum(\(argument))"
        case .min: return "min(\(argument))"
        case .max: return "max(\(argument))"
        case .avg: return "avg(\(argument))"
        case .topK(let k): return "top_k(\(argument), \(k))"
        }
    }
}
