/// Operator precedence, loosest first, as in Spark: OR, AND, NOT, predicates (IS NULL, IN, LIKE,
/// BETWEEN), comparisons, `+ - ||`, `* / %`, unary minus, primaries.
extension Parser {
    /// One expression.
    mutating func parseExpression() throws(SQLError) -> Expr {
        try nested { (parser: inout Parser) throws(SQLError) in try parser.parseOr() }
    }

    private mutating func parseOr() throws(SQLError) -> Expr {
        var left = try parseAnd()
        while current.isKeyword("or") {
            let position = advance().position
            left = try node(.binary(.or, left, try parseAnd()), at: position)
        }
        return left
    }

    private mutating func parseAnd() throws(SQLError) -> Expr {
        var left = try parseNot()
        while current.isKeyword("and") {
            let position = advance().position
            left = try node(.binary(.and, left, try parseNot()), at: position)
        }
        return left
    }

    private mutating func parseNot() throws(SQLError) -> Expr {
        guard current.isKeyword("not") else { return try parsePredicate() }
        let position = advance().position
        let operand = try nested { (parser: inout Parser) throws(SQLError) in try parser.parseNot() }
        return try node(.not(operand), at: position)
    }

    /// A comparison optionally followed by one `IS [NOT] NULL`, `[NOT] IN`, `[NOT] LIKE` or
    /// `[NOT] BETWEEN`; errors about the predicate point at its keyword.
    private mutating func parsePredicate() throws(SQLError) -> Expr {
        let left = try parseComparison()
        if current.isKeyword("is") {
            let position = advance().position
            let negated = accept(keyword: "not")
            try expect(keyword: "null", negated ? "after IS NOT" : "after IS")
            return try node(.isNull(left, negated: negated), at: position)
        }
        let negated = current.isKeyword("not") && ["in", "like", "between"].contains(peek(1).text.lowercased())
        if negated { index += 1 }
        let position = current.position
        if accept(keyword: "in") {
            try expect(.leftParen, "after IN")
            var list: [Expr] = []
            repeat {
                list.append(try parseExpression())
            } while accept(.comma)
            try expect(.rightParen, "after the IN list")
            return try node(.inList(left, list, negated: negated), at: position)
        }
        if accept(keyword: "like") {
            return try node(.like(left, try parseComparison(), negated: negated), at: position)
        }
        if accept(keyword: "between") {
            let low = try parseComparison()
            try expect(keyword: "and", "between the bounds of BETWEEN")
            let high = try parseComparison()
            return try node(.between(left, low: low, high: high, negated: negated), at: position)
        }
        return left
    }

    private mutating func parseComparison() throws(SQLError) -> Expr {
        var left = try parseAdditive()
        while case .symbol(let symbol) = current.kind, let op = Self.comparison(symbol) {
            let position = advance().position
            left = try node(.binary(op, left, try parseAdditive()), at: position)
        }
        return left
    }

    private static func comparison(_ symbol: Symbol) -> BinaryOperator? {
        switch symbol {
        case .equal, .doubleEqual: .equal
        case .lessGreater, .bangEqual: .notEqual
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        default: nil
        }
    }

    private mutating func parseAdditive() throws(SQLError) -> Expr {
        var left = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .symbol(.plus): op = .add
            case .symbol(.minus): op = .subtract
            case .symbol(.concat): op = .concat
            default: return left
            }
            let position = advance().position
            left = try node(.binary(op, left, try parseMultiplicative()), at: position)
        }
    }

    private mutating func parseMultiplicative() throws(SQLError) -> Expr {
        var left = try parseUnary()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .symbol(.star): op = .multiply
            case .symbol(.slash): op = .divide
            case .symbol(.percent): op = .modulo
            default: return left
            }
            let position = advance().position
            left = try node(.binary(op, left, try parseUnary()), at: position)
        }
    }

    /// `-x` and `+x`; a minus right before an integer folds into the literal, so the smallest
    /// BIGINT can be written.
    private mutating func parseUnary() throws(SQLError) -> Expr {
        if current.isSymbol(.minus) || current.isSymbol(.plus) {
            let sign = advance()
            if sign.isSymbol(.minus), current.kind == .integer {
                let digits = advance()
                return try node(
                    .literal(.integer(try Self.integer("-" + digits.text, at: sign.position))), at: sign.position)
            }
            let operand = try nested { (parser: inout Parser) throws(SQLError) in try parser.parseUnary() }
            return sign.isSymbol(.plus) ? operand : try node(.negate(operand), at: sign.position)
        }
        return try parsePrimary()
    }

    static func integer(_ text: String, at position: SourcePosition) throws(SQLError) -> Int64 {
        guard let value = Int64(text) else {
            throw SQLError("integer \(text) is out of range for BIGINT", at: position)
        }
        return value
    }
}
