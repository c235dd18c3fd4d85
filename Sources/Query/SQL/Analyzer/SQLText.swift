/// Renders parsed expressions as Spark renders them for derived column names (`count(1)`,
/// `(a + b)`, `lower(url)`, `count(DISTINCT user_id)`), and for naming expressions in errors.
enum SQLText {
    /// How a column reference is shown: the stream's own spelling of the column when it has one.
    typealias ColumnName = (_ qualifier: String?, _ name: String) -> String

    /// Spark's text for `expr`; string literals appear bare, as in Spark's derived names.
    static func name(_ expr: Expr, column: ColumnName) -> String {
        render(expr, column: column, quoteStrings: false)
    }

    /// The text of `expr` for an error message, string literals in quotes.
    static func quoted(_ expr: Expr) -> String {
        render(expr, column: { qualifier, name in qualifier.map { "\($0).\(name)" } ?? name }, quoteStrings: true)
    }

    private static func render(_ expr: Expr, column: ColumnName, quoteStrings: Bool) -> String {
        func text(_ expr: Expr) -> String { render(expr, column: column, quoteStrings: quoteStrings) }
        switch expr.kind {
        case .column(let qualifier, let name): return column(qualifier, name)
        case .literal(let literal): return self.literal(literal, quoteStrings: quoteStrings)
        case .negate(let operand): return "(- \(text(operand)))"
        case .not(let operand): return "(NOT \(text(operand)))"
        case .binary(.concat, let left, let right): return "concat(\(text(left)), \(text(right)))"
        case .binary(.notEqual, let left, let right): return "(NOT (\(text(left)) = \(text(right))))"
        case .binary(let op, let left, let right): return "(\(text(left)) \(symbol(op)) \(text(right)))"
        case .isNull(let operand, let negated): return "(\(text(operand)) IS \(negated ? "NOT " : "")NULL)"
        case .inList(let operand, let list, let negated):
            return not(negated, "(\(text(operand)) IN (\(list.map(text).joined(separator: ", "))))")
        case .like(let operand, let pattern, let negated):
            return negated ? "(NOT \(text(operand)) LIKE \(text(pattern)))" : "\(text(operand)) LIKE \(text(pattern))"
        case .between(let operand, let low, let high, let negated):
            return not(negated, "(\(text(operand)) BETWEEN \(text(low)) AND \(text(high)))")
        case .caseWhen(let operand, let whens, let otherwise):
            var parts = ["CASE"]
            if let operand { parts.append(text(operand)) }
            for (condition, result) in whens.pairs { parts += ["WHEN", text(condition), "THEN", text(result)] }
            if let otherwise { parts += ["ELSE", text(otherwise)] }
            return (parts + ["END"]).joined(separator: " ")
        case .cast(let operand, let type): return "CAST(\(text(operand)) AS \(type))"
        case .call(let name, let arguments, let distinct, let star):
            // Spark derives the name count(1) for count(*); messages show what was written.
            if star { return name == "count" && !quoteStrings ? "count(1)" : "\(name)(*)" }
            return "\(name)(\(distinct ? "DISTINCT " : "")\(arguments.map(text).joined(separator: ", ")))"
        }
    }

    private static func not(_ negated: Bool, _ text: String) -> String { negated ? "(NOT \(text))" : text }

    static func literal(_ literal: Literal, quoteStrings: Bool) -> String {
        switch literal {
        case .integer(let value): String(value)
        case .decimal(_, let text): text
        case .string(let value):
            quoteStrings
                ? "'\(value.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''"))'" : value
        case .bool(let value): value ? "true" : "false"
        case .null: "NULL"
        case .timestamp(_, let text): "TIMESTAMP '\(text)'"
        case .interval(_, let text): "INTERVAL '\(text)'"
        }
    }

    static func symbol(_ op: BinaryOperator) -> String {
        switch op {
        case .add: "+"
        case .subtract: "-"
        case .multiply: "*"
        case .divide: "/"
        case .modulo: "%"
        case .equal: "="
        case .notEqual: "<>"
        case .less: "<"
        case .lessOrEqual: "<="
        case .greater: ">"
        case .greaterOrEqual: ">="
        case .and: "AND"
        case .or: "OR"
        case .concat: "||"
        }
    }
}
