/// Implicit conversions, as in Spark but narrower: BIGINT widens to DOUBLE, NULL takes any type,
/// and (where a comparison asks for it) a string literal is read as the other side's type, so
/// `ts >= '2026-01-01 00:00:00'` and `status = '200'` work.
enum Coercion {
    /// A `NULL` literal (of whatever type it was given so far).
    static func isNullLiteral(_ expr: BoundExpr) -> Bool {
        if case .literal(.null, _) = expr { true } else { false }
    }

    /// The text of a string literal.
    static func stringLiteral(_ expr: BoundExpr) -> String? {
        if case .literal(.string(let text), _) = expr { text } else { nil }
    }

    /// `expr` at `type` when an implicit conversion exists; string literals are read as `type`
    /// only when `parsingStrings`.
    static func convert(_ expr: BoundExpr, to type: DataType, parsingStrings: Bool = false) -> BoundExpr? {
        if expr.type == type && !isNullLiteral(expr) { return expr }
        if isNullLiteral(expr) { return .literal(.null, type: type) }
        if expr.type == .int64 && type == .double { return toDouble(expr) }
        if parsingStrings, let text = stringLiteral(expr), let value = parse(text, as: type) {
            return .literal(value, type: type)
        }
        return nil
    }

    /// BIGINT as DOUBLE: a literal is converted now, anything else gets a cast.
    static func toDouble(_ expr: BoundExpr) -> BoundExpr {
        if case .literal(.int64(let value), _) = expr { return .literal(.double(Double(value)), type: .double) }
        return expr.type == .double ? expr : .cast(expr, to: .double)
    }

    /// A string literal's value as `type`, or nil when it does not read as one.
    static func parse(_ text: String, as type: DataType) -> Value? {
        let trimmed = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        switch type {
        case .string: return .string(text)
        case .int64: return Int64(trimmed).map(Value.int64)
        case .double: return Double(trimmed).flatMap { $0.isFinite ? .double($0) : nil }
        case .timestamp: return TimestampText.parse(trimmed).map(Value.timestamp)
        case .bool:
            switch trimmed.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        }
    }

    /// The type a set of expressions can share: their type if they agree, DOUBLE for a mix of
    /// BIGINT and DOUBLE. NULLs (and string literals, when `parsingStrings`) follow the others.
    static func commonType(_ exprs: [BoundExpr], parsingStrings: Bool) -> DataType? {
        let typed = exprs.filter { !isNullLiteral($0) && !(parsingStrings && stringLiteral($0) != nil) }
        let types = Set(typed.map(\.type))
        if types.isEmpty { return exprs.contains { stringLiteral($0) != nil } ? .string : nil }
        if types.count == 1 { return types.first }
        if types == [.int64, .double] { return .double }
        return nil
    }

    /// The type of a list of nothing but NULLs; nil when anything else is in it.
    static func nullTypeIfAllNull(_ exprs: [BoundExpr]) -> DataType? {
        exprs.allSatisfy(isNullLiteral) ? nullDefault : nil
    }

    /// The ordinary type of a lone NULL, when nothing says otherwise (Spark's is a void type).
    static let nullDefault = DataType.string
}
