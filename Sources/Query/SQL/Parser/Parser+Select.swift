extension Parser {
    /// `SELECT items FROM stream [[AS] alias] [WHERE c] [GROUP BY e, ...] [HAVING c]`.
    mutating func parseSelect() throws(SQLError) -> SelectQuery {
        let start = current.position
        try expect(keyword: "select")
        if current.isKeyword("distinct") {
            throw SQLError("SELECT DISTINCT is not supported on a stream; use GROUP BY", at: current.position)
        }
        _ = accept(keyword: "all")
        var items: [SelectItem] = []
        repeat {
            items.append(try parseSelectItem())
        } while accept(.comma)
        guard accept(keyword: "from") else { throw expected("',' or FROM", "after the select list") }
        let from = try parseIdentifier("a stream name", "after FROM")
        var alias: Name?
        if accept(keyword: "as") {
            alias = try parseIdentifier("an alias", "after AS")
        } else if atIdentifier {
            alias = try parseIdentifier("an alias")
        }
        if current.isSymbol(.comma) {
            throw SQLError("FROM takes exactly one stream: a job reads one stream", at: current.position)
        }
        var query = SelectQuery(
            items: items, from: from, alias: alias, whereClause: nil, groupBy: [], groupByPosition: nil, having: nil,
            position: start)
        if accept(keyword: "where") { query.whereClause = try parseExpression() }
        if current.isKeyword("group") {
            query.groupByPosition = advance().position
            try expect(keyword: "by", "after GROUP")
            repeat {
                query.groupBy.append(try parseExpression())
            } while accept(.comma)
        }
        if accept(keyword: "having") { query.having = try parseExpression() }
        return query
    }

    /// `*`, `qualifier.*`, or `expr [[AS] alias]`.
    private mutating func parseSelectItem() throws(SQLError) -> SelectItem {
        if current.isSymbol(.star) {
            return .star(qualifier: nil, position: advance().position)
        }
        if atIdentifier, peek(1).isSymbol(.dot), peek(2).isSymbol(.star) {
            let qualifier = try parseIdentifier("a stream name")
            index += 1
            return .star(qualifier: qualifier, position: advance().position)
        }
        guard !current.isKeyword("from") else { throw expected("an expression", "in the select list") }
        let expr = try parseExpression()
        if accept(keyword: "as") { return .expr(expr, alias: try parseIdentifier("an alias", "after AS")) }
        if atIdentifier { return .expr(expr, alias: try parseIdentifier("an alias")) }
        return .expr(expr, alias: nil)
    }
}
