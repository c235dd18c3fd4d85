/// A type-checked expression whose column references are indexes into its input batch.
/// The analyzer produces it; the evaluator runs it over whole batches.
public indirect enum BoundExpr: Sendable, Hashable {
    /// Column `index` of the input batch.
    case column(index: Int, type: DataType)
    /// A constant; `type` is the type it is used at (a NULL literal still has one).
    case literal(Value, type: DataType)
    /// `op operand`.
    case unary(UnaryOperator, BoundExpr, type: DataType)
    /// `left op right`; operands already have a common type where the operator needs one.
    case binary(BinaryOperator, BoundExpr, BoundExpr, type: DataType)
    /// `operand IS [NOT] NULL`.
    case isNull(BoundExpr, negated: Bool)
    /// `operand [NOT] IN (list)`, SQL semantics: NULL when no match and a NULL is in play.
    case inList(BoundExpr, [BoundExpr], negated: Bool)
    /// `operand [NOT] LIKE pattern` with `%` and `_`; the pattern is a constant.
    case like(BoundExpr, pattern: String, negated: Bool)
    /// `CASE WHEN c THEN v ... [ELSE e] END` (a simple `CASE x WHEN ...` is rewritten to this).
    case caseWhen([WhenClause], otherwise: BoundExpr?, type: DataType)
    /// `CAST(operand AS type)`; a value that cannot be cast yields NULL, as in Spark.
    case cast(BoundExpr, to: DataType)
    /// A built-in function call.
    case function(ScalarFunction, [BoundExpr], type: DataType)

    /// The type of the expression's values.
    public var type: DataType {
        switch self {
        case .column(_, let type), .literal(_, let type), .unary(_, _, let type), .binary(_, _, _, let type),
            .caseWhen(_, _, let type), .function(_, _, let type):
            type
        case .isNull, .inList, .like: .bool
        case .cast(_, let type): type
        }
    }
}

/// One `WHEN condition THEN result` of a CASE.
public struct WhenClause: Sendable, Hashable {
    /// A BOOLEAN expression; NULL counts as false.
    public var condition: BoundExpr
    /// The value when `condition` holds.
    public var result: BoundExpr

    /// A clause.
    public init(condition: BoundExpr, result: BoundExpr) {
        self.condition = condition
        self.result = result
    }
}

/// An expression with the output name it is given (`expr AS name`, or a derived name).
public struct NamedExpr: Sendable, Hashable {
    /// The output column name.
    public var name: String
    /// The expression.
    public var expr: BoundExpr

    /// A named expression.
    public init(_ name: String, _ expr: BoundExpr) {
        self.name = name
        self.expr = expr
    }
}
