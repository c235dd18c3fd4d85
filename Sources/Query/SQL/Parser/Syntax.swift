/// The parsed script: statements as written, before names and types are checked.
struct Script: Sendable, Hashable {
    var statements: [Statement]
    /// Where the text ends (for errors about something missing from the whole script).
    var end: SourcePosition
}

/// One statement of a script.
enum Statement: Sendable, Hashable {
    case createStream(CreateStream)
    case createSink(CreateSink)
    case insert(Insert)
}

/// A name as written, with its position.
struct Name: Sendable, Hashable {
    var text: String
    var position: SourcePosition
}

/// `CREATE STREAM name (columns) WITH (options)`.
struct CreateStream: Sendable, Hashable {
    var name: Name
    var columns: [ColumnDefinition]
    var options: [OptionSetting]
    var position: SourcePosition
}

/// `name TYPE` in a CREATE STREAM.
struct ColumnDefinition: Sendable, Hashable {
    var name: Name
    var type: DataType
}

/// `CREATE SINK name WITH (options)`.
struct CreateSink: Sendable, Hashable {
    var name: Name
    var options: [OptionSetting]
    var position: SourcePosition
}

/// `key = value` in a WITH list; the key is lowercased, the value kept as written.
struct OptionSetting: Sendable, Hashable {
    var key: String
    var keyPosition: SourcePosition
    var value: String
    var valuePosition: SourcePosition
}

/// `INSERT INTO sink SELECT ...`.
struct Insert: Sendable, Hashable {
    var sink: Name
    var query: SelectQuery
    var position: SourcePosition
}

/// `SELECT items FROM stream [WHERE] [GROUP BY] [HAVING]`.
struct SelectQuery: Sendable, Hashable {
    var items: [SelectItem]
    var from: Name
    /// `FROM stream [AS] alias`.
    var alias: Name?
    var whereClause: Expr?
    var groupBy: [Expr]
    /// Position of the GROUP keyword, for errors about the clause as a whole.
    var groupByPosition: SourcePosition?
    var having: Expr?
    var position: SourcePosition
}

/// One entry of a SELECT list.
enum SelectItem: Sendable, Hashable {
    /// `*` or `qualifier.*`.
    case star(qualifier: Name?, position: SourcePosition)
    /// `expr [AS alias]`.
    case expr(Expr, alias: Name?)
}

/// An expression node with the position of its first token (or its operator, for binary and
/// postfix operators, which is where a type error is reported).
struct Expr: Sendable, Hashable {
    var kind: ExprKind
    var position: SourcePosition
    /// Nodes on the longest path to a leaf; the parser bounds it so no recursion over the tree
    /// can exhaust the stack.
    var height: Int
    /// The position of the first token, where a message about the whole expression points.
    var start: SourcePosition
    /// True when a column name appears anywhere in the tree (kept so no pass walks it again).
    var containsColumn: Bool
    /// True when a call to an aggregate function appears anywhere in the tree.
    var containsAggregate: Bool

    init(_ kind: ExprKind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
        let children = kind.children
        switch kind {
        case .column:
            containsColumn = true
            containsAggregate = false
        case .call(let name, _, _, _) where AggregateFunctions.isAggregate(name):
            containsColumn = children.contains { $0.containsColumn }
            containsAggregate = true
        default:
            containsColumn = children.contains { $0.containsColumn }
            containsAggregate = children.contains { $0.containsAggregate }
        }
        switch kind {
        case .binary(_, let left, _), .isNull(let left, _), .inList(let left, _, _), .like(let left, _, _),
            .between(let left, _, _, _):
            self.start = left.start
        default:
            self.start = position
        }
        self.height = 1 + (children.map(\.height).max() ?? 0)
    }
}

/// The shapes of expression.
indirect enum ExprKind: Sendable, Hashable {
    /// `name` or `qualifier.name`.
    case column(qualifier: String?, name: String)
    case literal(Literal)
    case negate(Expr)
    case not(Expr)
    case binary(BinaryOperator, Expr, Expr)
    case isNull(Expr, negated: Bool)
    case inList(Expr, [Expr], negated: Bool)
    case like(Expr, Expr, negated: Bool)
    case between(Expr, low: Expr, high: Expr, negated: Bool)
    /// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
    case caseWhen(operand: Expr?, whens: WhenPairs, otherwise: Expr?)
    case cast(Expr, DataType)
    /// `name(args)`, `name(*)`, `name(DISTINCT args)`.
    case call(name: String, arguments: [Expr], distinct: Bool, star: Bool)

    /// The direct subexpressions.
    var children: [Expr] {
        switch self {
        case .column, .literal: []
        case .negate(let operand), .not(let operand), .isNull(let operand, _), .cast(let operand, _): [operand]
        case .binary(_, let left, let right), .like(let left, let right, _): [left, right]
        case .inList(let operand, let list, _): [operand] + list
        case .between(let operand, let low, let high, _): [operand, low, high]
        case .caseWhen(let operand, let whens, let otherwise):
            (operand.map { [$0] } ?? []) + whens.pairs.flatMap { [$0.0, $0.1] } + (otherwise.map { [$0] } ?? [])
        case .call(_, let arguments, _, _): arguments
        }
    }
}

/// A literal as written.
enum Literal: Sendable, Hashable {
    case integer(Int64)
    case decimal(Double, text: String)
    case string(String)
    case bool(Bool)
    case null
    /// `TIMESTAMP '...'`, parsed to epoch milliseconds; `text` as written inside the quotes.
    case timestamp(Int64, text: String)
    /// `INTERVAL ...`, in milliseconds; only window arguments accept it.
    case interval(Int64, text: String)
}

/// The `WHEN condition THEN result` pairs of a CASE (tuples are not Hashable).
struct WhenPairs: Sendable, Hashable {
    var conditions: [Expr]
    var results: [Expr]

    var pairs: [(Expr, Expr)] { Array(zip(conditions, results)) }
}
