/// The part of the query an expression is in: what it may contain, and how messages name it.
enum Clause: String {
    case select = "the SELECT list"
    case filter = "WHERE"
    case groupBy = "GROUP BY"
    case having = "HAVING"
    case window = "window(...)"
}

/// What SELECT and HAVING of an aggregation may refer to: the group row.
struct GroupScope {
    /// `window` or `session_window`, the name the bounds are read through; nil without a window.
    var windowName: String?
    /// The group keys, bound over the source schema.
    var keys: [BoundExpr]
    /// The aggregates found so far, arguments bound over the source schema.
    var aggregates: [AggregateCall] = []
    /// Spark's name of each aggregate, for the group schema.
    var aggregateNames: [String] = []

    /// Where the keys start in the group row.
    var keyOffset: Int { windowName == nil ? 0 : 2 }
}

/// Binds parsed expressions to typed `BoundExpr`s. In *input* mode (no `group`) column names
/// become indexes into the source schema (the compiler remaps them to the input batch later);
/// in *group* mode expressions must be built from group keys, window bounds, aggregates and
/// literals, and become indexes into the group row.
struct Binder {
    /// The stream's columns.
    let schema: Schema
    /// The stream's name as written, for messages.
    let streamName: String
    /// The lowercased names that qualify the stream's columns (its name and alias).
    let qualifiers: Set<String>
    var clause: Clause = .select
    var group: GroupScope?
    /// The aggregate whose arguments are being bound, so a nested one can be named.
    var insideAggregate: String?
    /// SELECT aliases, which HAVING may use.
    var selectAliases: [(name: String, expr: Expr)] = []
    /// Input-mode results by parse node, shared by every copy of this binder.
    let memo = InputBindingMemo()

    init(schema: Schema, streamName: String, qualifiers: Set<String>) {
        self.schema = schema
        self.streamName = streamName
        self.qualifiers = qualifiers
    }

    /// `expr` bound in the current mode.
    mutating func bind(_ expr: Expr) throws(SQLError) -> BoundExpr {
        if group != nil, let grouped = try bindGrouped(expr) { return grouped }
        guard group == nil else { return try bindNode(expr) }
        if let bound = memo.results[expr.identity] { return bound }
        let bound = try bindNode(expr)
        memo.results[expr.identity] = bound
        return bound
    }

    /// One node, its parts bound by `bind`.
    private mutating func bindNode(_ expr: Expr) throws(SQLError) -> BoundExpr {
        switch expr.kind {
        case .column(let qualifier, let name): return try bindColumn(qualifier, name, at: expr.position)
        case .literal(let literal): return try bindLiteral(literal, at: expr.position)
        case .negate(let operand): return try bindNegate(operand, at: expr.position)
        case .not(let operand): return .unary(.not, try boolOperand(operand, of: "NOT"), type: .bool)
        case .binary(let op, let left, let right): return try bindBinary(op, left, right, at: expr.position)
        case .isNull(let operand, let negated): return .isNull(try bind(operand), negated: negated)
        case .inList(let operand, let list, let negated): return try bindIn(operand, list, negated: negated)
        case .like(let operand, let pattern, let negated): return try bindLike(operand, pattern, negated: negated)
        case .between(let operand, let low, let high, let negated):
            return try bindBetween(operand, low, high, negated: negated, at: expr.position)
        case .caseWhen(let operand, let whens, let otherwise):
            return try bindCase(operand, whens, otherwise, at: expr.position)
        case .cast(let operand, let type): return try bindCast(operand, to: type, at: expr.position)
        case .call(let name, let arguments, let distinct, let star):
            return try bindCall(expr, name, arguments, distinct: distinct, star: star)
        }
    }

    /// A column of the stream, or a window bound.
    private func bindColumn(_ qualifier: String?, _ name: String, at position: SourcePosition) throws(SQLError)
        -> BoundExpr
    {
        if let bound = try windowBound(qualifier, name, at: position) { return bound }
        if let qualifier, !qualifiers.contains(qualifier.lowercased()) {
            throw SQLError(
                "unknown qualifier '\(qualifier)' in '\(qualifier).\(name)'; the query reads stream '\(streamName)'",
                at: position)
        }
        guard let index = schema.index(of: name) else {
            var candidates = schema.names
            if clause == .having { candidates += selectAliases.map(\.name) }
            throw SQLError(
                "unknown column '\(name)'\(Suggestions.hint(name, among: candidates, label: "columns"))", at: position)
        }
        return .column(index: index, type: schema.fields[index].type)
    }

    private func bindLiteral(_ literal: Literal, at position: SourcePosition) throws(SQLError) -> BoundExpr {
        switch literal {
        case .integer(let value): return .literal(.int64(value), type: .int64)
        case .decimal(let value, _): return .literal(.double(value), type: .double)
        case .string(let value): return .literal(.string(value), type: .string)
        case .bool(let value): return .literal(.bool(value), type: .bool)
        case .null: return .literal(.null, type: Coercion.nullDefault)
        case .timestamp(let ms, _): return .literal(.timestamp(ms), type: .timestamp)
        case .interval:
            throw SQLError(
                "an interval is only allowed as the size, slide or gap of window(...) or session_window(...)",
                at: position)
        }
    }

    /// ` in WHERE`, for messages.
    var whereText: String { " in \(clause.rawValue)" }

    /// `url (STRING)`: how messages show an operand.
    static func describe(_ expr: Expr, _ bound: BoundExpr) -> String {
        "\(SQLText.quoted(expr)) (\(Coercion.isNullLiteral(bound) ? "NULL" : bound.type.description))"
    }

    /// How derived names show a column: the stream's spelling, or `window.start`.
    func columnName(_ qualifier: String?, _ name: String) -> String {
        if let qualifier, Self.windowNames.contains(qualifier.lowercased()),
            !qualifiers.contains(qualifier.lowercased())
        {
            return "\(qualifier.lowercased()).\(name.lowercased())"
        }
        return schema.index(of: name).map { schema.fields[$0].name } ?? name
    }

    /// Spark's derived name of `expr`: a bare column's own name, `start`/`end` for window bounds,
    /// else the expression's text.
    func derivedName(_ expr: Expr) -> String {
        if case .column(let qualifier, let name) = expr.kind {
            if let qualifier, Self.windowNames.contains(qualifier.lowercased()),
                !qualifiers.contains(qualifier.lowercased())
            {
                return name.lowercased()
            }
            return columnName(nil, name)
        }
        return SQLText.name(expr, column: columnName)
    }

    static let windowNames: Set<String> = ["window", "session_window"]
}

/// Input-mode bindings already made, by parse node. Group mode tries every subexpression against
/// the group keys, binding it over the input each time; without this, a tall expression would be
/// bound once per level, quadratically. Input-mode binding depends on the node alone (the clause
/// only changes error messages, and errors are not stored), so a result can be reused.
final class InputBindingMemo {
    var results: [Expr.Identity: BoundExpr] = [:]
    /// Whether a node holds group-row-only parts; HAVING answers differently (its aliases).
    var groupLevel: [GroupLevelKey: Bool] = [:]

    struct GroupLevelKey: Hashable {
        var node: Expr.Identity
        var inHaving: Bool
    }
}

extension Expr {
    /// A node's own token and height: no two nodes of one script share both.
    struct Identity: Hashable {
        var position: SourcePosition
        var height: Int
    }

    var identity: Identity { Identity(position: position, height: height) }
}
