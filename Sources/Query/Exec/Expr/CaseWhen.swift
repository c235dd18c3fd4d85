extension ExprEvaluator {
    /// `CASE WHEN ... END`: each row takes the result of its first condition that is true (NULL
    /// counts as false), else the ELSE value, else NULL. A branch no row takes is not evaluated.
    mutating func caseWhen(_ clauses: [WhenClause], otherwise: BoundExpr?, type: DataType) throws -> Column {
        let undecided = Int32(clauses.count)
        var choice = [Int32](repeating: undecided, count: rowCount)
        var open = rowCount
        for (index, clause) in clauses.enumerated() where open > 0 {
            let condition = try evaluate(clause.condition)
            guard condition.type == .bool else {
                throw ExprError.typeMismatch(context: "CASE WHEN", found: condition.type)
            }
            for row in 0..<rowCount where choice[row] == undecided && condition.bools[row] && !condition.isNull(row) {
                choice[row] = Int32(index)
                open -= 1
            }
        }
        var sources: [Column] = []
        for (index, clause) in clauses.enumerated() {
            let taken = choice.contains(Int32(index))
            sources.append(
                taken ? coerce(try evaluate(clause.result), to: type) : Column.allNull(type, count: rowCount))
        }
        if let otherwise, open > 0 {
            sources.append(coerce(try evaluate(otherwise), to: type))
        } else {
            sources.append(Column.allNull(type, count: rowCount))
        }
        return Column.picking(type, from: sources, choice: choice)
    }
}

extension Column {
    /// Row `i` of the result is row `i` of `sources[choice[i]]`; every source has `type`.
    static func picking(_ type: DataType, from sources: [Column], choice: [Int32]) -> Column {
        var out = Column(type)
        out.reserve(choice.count)
        for (row, source) in choice.enumerated() {
            out.append(from: sources[Int(source)], row: row)
        }
        return out
    }
}
