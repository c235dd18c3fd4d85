extension Parser {
    /// Literals, `(expr)`, CASE, CAST, `TIMESTAMP '...'`, `INTERVAL ...`, calls and column names.
    mutating func parsePrimary() throws(SQLError) -> Expr {
        let token = current
        switch token.kind {
        case .integer:
            index += 1
            return try node(.literal(.integer(try Self.integer(token.text, at: token.position))), at: token.position)
        case .decimal:
            index += 1
            guard let value = Double(token.text), value.isFinite else {
                throw SQLError("number \(token.text) is out of range for DOUBLE", at: token.position)
            }
            return try node(.literal(.decimal(value, text: token.text)), at: token.position)
        case .string:
            index += 1
            return try node(.literal(.string(token.value)), at: token.position)
        case .symbol(.leftParen):
            index += 1
            let inner = try parseExpression()
            try expect(.rightParen, "to close the '(' at \(token.position.line):\(token.position.column)")
            return inner
        case .word, .quotedIdentifier:
            return try parseWordPrimary()
        default:
            throw expected("an expression")
        }
    }

    private mutating func parseWordPrimary() throws(SQLError) -> Expr {
        let token = current
        let word = token.kind == .word ? token.text.lowercased() : ""
        switch word {
        case "true", "false":
            index += 1
            return try node(.literal(.bool(word == "true")), at: token.position)
        case "null":
            index += 1
            return try node(.literal(.null), at: token.position)
        case "case": return try parseCase()
        case "cast": return try parseCast()
        case "timestamp" where peek(1).kind == .string: return try parseTimestampLiteral()
        case "interval" where peek(1).kind == .string || peek(1).kind == .integer || peek(1).kind == .decimal:
            return try parseInterval()
        default: break
        }
        if peek(1).isSymbol(.leftParen), token.kind == .word || atIdentifier {
            return try parseCall()
        }
        let first = try parseIdentifier("an expression")
        guard accept(.dot) else { return try node(.column(qualifier: nil, name: first.text), at: first.position) }
        // After a dot any word is a field name, so `window.end` works although END is reserved.
        guard current.kind == .word || current.kind == .quotedIdentifier else {
            throw expected("a column name", "after '\(first.text).'")
        }
        let second = advance()
        if current.isSymbol(.dot) {
            throw SQLError(
                "expected a column name or qualifier.column, found a name with more parts", at: current.position)
        }
        return try node(.column(qualifier: first.text, name: second.value), at: first.position)
    }

    /// `name(*)`, `name(DISTINCT a, ...)` or `name(a, ...)`; the name is kept lowercase.
    private mutating func parseCall() throws(SQLError) -> Expr {
        let nameToken = advance()
        index += 1
        let name = nameToken.value.lowercased()
        if accept(.star) {
            try expect(.rightParen, "after '\(name)(*'")
            return try node(.call(name: name, arguments: [], distinct: false, star: true), at: nameToken.position)
        }
        let distinct = accept(keyword: "distinct")
        if !distinct { _ = accept(keyword: "all") }
        var arguments: [Expr] = []
        if !current.isSymbol(.rightParen) || distinct {
            repeat {
                arguments.append(try parseExpression())
            } while accept(.comma)
        }
        guard accept(.rightParen) else {
            var error = expected("')' or ','", "in the arguments of \(name)")
            if current.kind == .word, IntervalUnit.milliseconds(current.text) != nil,
                peek(-1).kind == .integer || peek(-1).kind == .decimal
            {
                error.message +=
                    "; write an interval as '\(peek(-1).text) \(current.text)' or INTERVAL \(peek(-1).text) \(current.text)"
            }
            throw error
        }
        return try node(
            .call(name: name, arguments: arguments, distinct: distinct, star: false), at: nameToken.position)
    }

    /// `CASE [operand] WHEN c THEN r ... [ELSE e] END`.
    private mutating func parseCase() throws(SQLError) -> Expr {
        let start = advance().position
        let operand: Expr? = current.isKeyword("when") ? nil : try parseExpression()
        var whens = WhenPairs(conditions: [], results: [])
        guard current.isKeyword("when") else { throw expected("WHEN", "in CASE") }
        while accept(keyword: "when") {
            whens.conditions.append(try parseExpression())
            try expect(keyword: "then", "after the WHEN condition")
            whens.results.append(try parseExpression())
        }
        var otherwise: Expr?
        if accept(keyword: "else") { otherwise = try parseExpression() }
        guard accept(keyword: "end") else {
            throw expected(otherwise == nil ? "WHEN, ELSE or END" : "END", "in CASE")
        }
        return try node(.caseWhen(operand: operand, whens: whens, otherwise: otherwise), at: start)
    }

    /// `CAST(expr AS type)`.
    private mutating func parseCast() throws(SQLError) -> Expr {
        let start = advance().position
        try expect(.leftParen, "after CAST")
        let operand = try parseExpression()
        try expect(keyword: "as", "in CAST(... AS type)")
        let type = try parseType()
        try expect(.rightParen, "after the CAST type")
        return try node(.cast(operand, type), at: start)
    }

    /// `TIMESTAMP '2026-01-01 00:00:00'`, checked now so a bad one is reported where it is.
    private mutating func parseTimestampLiteral() throws(SQLError) -> Expr {
        let start = advance().position
        let text = advance()
        guard let ms = TimestampText.parse(text.value) else {
            throw SQLError(
                "invalid TIMESTAMP literal '\(text.value)'; expected e.g. '2026-01-01 00:00:00' or '2026-01-01T00:00:00Z'",
                at: text.position)
        }
        return try node(.literal(.timestamp(ms, text: text.value)), at: start)
    }

    /// `INTERVAL '10 seconds'`, `INTERVAL '10' SECOND`, `INTERVAL 10 SECONDS`, and several
    /// `amount unit` pairs in a row (`INTERVAL 1 MINUTE 30 SECONDS`), as in Spark.
    private mutating func parseInterval() throws(SQLError) -> Expr {
        let start = advance().position
        var totalMs: Int64 = 0
        var parts: [String] = []
        repeat {
            let amount = advance()
            let pair: Result<Int64, IntervalTextError>
            if current.kind == .word, IntervalUnit.milliseconds(current.text) != nil {
                let unit = advance()
                pair = IntervalText.amount(amount.value, unit: unit.text, in: "\(amount.value) \(unit.text)")
                parts.append("\(amount.value) \(unit.text.lowercased())")
            } else if amount.kind == .string {
                pair = IntervalText.parse(amount.value)
                parts.append(amount.value)
            } else {
                throw expected("an interval unit (\(IntervalUnit.validList))", "after INTERVAL \(amount.text)")
            }
            switch pair {
            case .failure(let error): throw SQLError(error.message, at: amount.position)
            case .success(let ms):
                let (sum, overflow) = totalMs.addingReportingOverflow(ms)
                guard !overflow, sum <= 9_000_000_000_000_000 else {
                    throw SQLError("interval is too large", at: amount.position)
                }
                totalMs = sum
            }
        } while current.kind == .string || current.kind == .integer || current.kind == .decimal
        return try node(.literal(.interval(totalMs, text: parts.joined(separator: " "))), at: start)
    }
}
