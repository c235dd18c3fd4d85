extension Binder {
    /// An aggregate call in SELECT or HAVING: its arguments are bound over the input, the call
    /// joins the aggregation's list (once, however often it is written), and the expression
    /// becomes its group-row column.
    mutating func bindAggregate(_ expr: Expr) throws(SQLError) -> BoundExpr {
        guard case .call(let name, let arguments, let distinct, let star) = expr.kind, var scope = group else {
            preconditionFailure("bindAggregate is called on aggregate calls in group mode only")
        }
        var argumentBinder = self
        argumentBinder.group = nil
        argumentBinder.insideAggregate = name
        let call = try argumentBinder.aggregateCall(
            FunctionCall(name: name, arguments: arguments, position: expr.position), distinct: distinct, star: star)
        if let argument = call.argument { try BoundSize.check(argument, at: expr.start) }
        let slot: Int
        if let existing = scope.aggregates.firstIndex(of: call) {
            slot = existing
        } else {
            slot = scope.aggregates.count
            scope.aggregates.append(call)
            scope.aggregateNames.append(SQLText.name(expr, column: columnName))
            group = scope
        }
        return .column(index: scope.keyOffset + scope.keys.count + slot, type: call.resultType)
    }

    private mutating func aggregateCall(_ call: FunctionCall, distinct: Bool, star: Bool) throws(SQLError)
        -> AggregateCall
    {
        let name = call.name
        if star {
            guard name == "count" else { throw SQLError("only count accepts *, not \(name)", at: call.position) }
            return AggregateCall(.countStar, nil, resultType: .int64)
        }
        if distinct && name != "count" {
            throw SQLError("DISTINCT is only supported in count(DISTINCT x), not in \(name)", at: call.position)
        }
        if name == "top_k" { return try topK(call) }
        try call.arity(1...1)
        let argument = try bind(call.arguments[0])
        switch name {
        case "count":
            if distinct { return AggregateCall(.countDistinct, argument, resultType: .int64) }
            // count(1) counts rows, as count(*) does; Spark treats them alike.
            if case .literal(let value, _) = argument, !value.isNull {
                return AggregateCall(.countStar, nil, resultType: .int64)
            }
            return AggregateCall(.count, argument, resultType: .int64)
        case "approx_count_distinct":
            return AggregateCall(.approxCountDistinct, argument, resultType: .int64)
        case "sum", "avg":
            let numeric = Coercion.isNullLiteral(argument) ? BoundExpr.literal(.null, type: .int64) : argument
            guard numeric.type.isNumeric else {
                throw SQLError(
                    "\(name) needs a BIGINT or DOUBLE argument, found \(Self.describe(call.arguments[0], argument))",
                    at: call.arguments[0].start)
            }
            if name == "avg" { return AggregateCall(.avg, numeric, resultType: .double) }
            return AggregateCall(.sum, numeric, resultType: numeric.type)
        default:
            return AggregateCall(name == "min" ? .min : .max, argument, resultType: argument.type)
        }
    }

    /// `top_k(x, k)`: k is a constant from 1 to `topKMax`.
    private mutating func topK(_ call: FunctionCall) throws(SQLError) -> AggregateCall {
        try call.arity(2...2)
        let argument = try bind(call.arguments[0])
        guard case .literal(.integer(let k)) = call.arguments[1].kind,
            (1...Int64(AggregateFunctions.topKMax)).contains(k)
        else {
            throw SQLError(
                "the k of top_k must be an integer literal from 1 to \(AggregateFunctions.topKMax), found \(SQLText.quoted(call.arguments[1]))",
                at: call.arguments[1].start)
        }
        return AggregateCall(.topK(Int(k)), argument, resultType: .string)
    }
}
