/// Unary operators of SQL expressions.
public enum UnaryOperator: UInt8, Sendable, Hashable {
    /// Arithmetic negation, `-x`.
    case negate = 1
    /// Logical `NOT x` (three-valued: NOT NULL is NULL).
    case not = 2
}

/// Binary operators of SQL expressions. Comparisons and logic yield BOOLEAN; `+ - * %` yield
/// BIGINT when both sides are BIGINT and DOUBLE otherwise; `/` always yields DOUBLE, as in Spark.
public enum BinaryOperator: UInt8, Sendable, Hashable {
    case add = 1
    case subtract = 2
    case multiply = 3
    /// `/`: always DOUBLE, as in Spark; division by zero yields NULL.
    case divide = 4
    /// `%`: BIGINT when both sides are BIGINT; by zero yields NULL.
    case modulo = 5
    case equal = 10
    case notEqual = 11
    case less = 12
    case lessOrEqual = 13
    case greater = 14
    case greaterOrEqual = 15
    /// Three-valued AND: false AND NULL is false.
    case and = 20
    /// Three-valued OR: true OR NULL is true.
    case or = 21
    /// `||` string concatenation.
    case concat = 30
}
