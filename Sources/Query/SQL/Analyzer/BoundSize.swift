/// A cap on bound expression size. BETWEEN and simple CASE repeat their operand, so nesting them
/// could grow a tree exponentially; every bound expression is checked against this before any
/// pass (remapping, hashing, evaluation) walks it.
enum BoundSize {
    static let nodesMax = 10_000

    /// Refuses `expr` when it has more than `nodesMax` nodes; stops counting at the cap.
    static func check(_ expr: BoundExpr, at position: SourcePosition) throws(SQLError) {
        var count = 0
        guard fits(expr, &count) else {
            throw SQLError(
                "expression is too large (more than \(nodesMax) nodes once BETWEEN and CASE are expanded)",
                at: position)
        }
    }

    private static func fits(_ expr: BoundExpr, _ count: inout Int) -> Bool {
        count += 1
        guard count <= nodesMax else { return false }
        for child in expr.children where !fits(child, &count) { return false }
        return true
    }
}

extension BoundExpr {
    /// The direct subexpressions.
    var children: [BoundExpr] {
        switch self {
        case .column, .literal: []
        case .unary(_, let operand, _), .isNull(let operand, _), .like(let operand, _, _), .cast(let operand, _):
            [operand]
        case .binary(_, let left, let right, _): [left, right]
        case .inList(let operand, let list, _): [operand] + list
        case .caseWhen(let clauses, let otherwise, _):
            clauses.flatMap { [$0.condition, $0.result] } + (otherwise.map { [$0] } ?? [])
        case .function(_, let arguments, _): arguments
        }
    }

    /// The column indexes it reads.
    func collectColumns(into indexes: inout Set<Int>) {
        if case .column(let index, _) = self { indexes.insert(index) }
        for child in children { child.collectColumns(into: &indexes) }
    }

    /// The same expression with column `i` read from `mapping[i]` instead.
    func remappingColumns(_ mapping: [Int: Int]) -> BoundExpr {
        func remap(_ expr: BoundExpr) -> BoundExpr { expr.remappingColumns(mapping) }
        switch self {
        case .column(let index, let type):
            guard let target = mapping[index] else { preconditionFailure("column \(index) was not decoded") }
            return .column(index: target, type: type)
        case .literal: return self
        case .unary(let op, let operand, let type): return .unary(op, remap(operand), type: type)
        case .binary(let op, let left, let right, let type): return .binary(op, remap(left), remap(right), type: type)
        case .isNull(let operand, let negated): return .isNull(remap(operand), negated: negated)
        case .inList(let operand, let list, let negated):
            return .inList(remap(operand), list.map(remap), negated: negated)
        case .like(let operand, let pattern, let negated):
            return .like(remap(operand), pattern: pattern, negated: negated)
        case .caseWhen(let clauses, let otherwise, let type):
            let mapped = clauses.map { WhenClause(condition: remap($0.condition), result: remap($0.result)) }
            return .caseWhen(mapped, otherwise: otherwise.map(remap), type: type)
        case .cast(let operand, let type): return .cast(remap(operand), to: type)
        case .function(let function, let arguments, let type):
            return .function(function, arguments.map(remap), type: type)
        }
    }
}
