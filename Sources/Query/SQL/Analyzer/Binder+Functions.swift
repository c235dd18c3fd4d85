extension Binder {
    /// A scalar function call; aggregates only reach here where they are not allowed.
    mutating func bindCall(_ expr: Expr, _ name: String, _ arguments: [Expr], distinct: Bool, star: Bool)
        throws(SQLError) -> BoundExpr
    {
        if AggregateFunctions.isAggregate(name) { throw misplacedAggregate(name, at: expr.position) }
        if Self.windowNames.contains(name) {
            if let windowName = group?.windowName {
                throw SQLError(
                    "cannot select \(name)(...) itself; select its bounds: \(windowName).start, \(windowName).end",
                    at: expr.position)
            }
            throw SQLError("\(name)(...) is only allowed in GROUP BY", at: expr.position)
        }
        guard let function = FunctionCatalog.scalar(named: name) else {
            let hint = Suggestions.hint(name, among: FunctionCatalog.allNames, label: "functions")
            throw SQLError("unknown function '\(name)'\(hint)", at: expr.position)
        }
        if distinct || star {
            throw SQLError("\(name) is not an aggregate, so it takes no \(star ? "*" : "DISTINCT")", at: expr.position)
        }
        let call = FunctionCall(name: name, arguments: arguments, position: expr.position)
        switch function {
        case .coalesce: return try bindCoalesce(call)
        case .lower, .upper:
            try call.arity(1...1)
            return .function(function, [try stringOperand(arguments[0])], type: .string)
        case .length:
            try call.arity(1...1)
            return .function(.length, [try stringOperand(arguments[0])], type: .int64)
        case .substring:
            try call.arity(2...3)
            var bound = [try stringOperand(arguments[0]), try integerArgument(call, 1)]
            if arguments.count == 3 { bound.append(try integerArgument(call, 2)) }
            return .function(.substring, bound, type: .string)
        case .splitPart:
            try call.arity(3...3)
            let bound = [
                try stringOperand(arguments[0]), try stringOperand(arguments[1]), try integerArgument(call, 2),
            ]
            return .function(.splitPart, bound, type: .string)
        case .regexpExtract: return try bindRegexpExtract(call)
        case .dateTrunc:
            try call.arity(2...2)
            let unit = try call.stringLiteral(0, what: "unit").lowercased()
            guard FunctionCatalog.dateTruncUnits.contains(unit) else {
                let hint = Suggestions.hint(unit, among: FunctionCatalog.dateTruncUnits, label: "units")
                throw SQLError("unknown date_trunc unit '\(unit)'\(hint)", at: arguments[0].start)
            }
            let time = try timestampArgument(call, 1)
            return .function(.dateTrunc, [.literal(.string(unit), type: .string), time], type: .timestamp)
        case .hour:
            try call.arity(1...1)
            return .function(.hour, [try timestampArgument(call, 0)], type: .int64)
        }
    }

    private mutating func bindCoalesce(_ call: FunctionCall) throws(SQLError) -> BoundExpr {
        try call.arity(1...Int.max)
        var bound: [BoundExpr] = []
        for argument in call.arguments { bound.append(try bind(argument)) }
        guard let type = Coercion.commonType(bound, parsingStrings: false) ?? Coercion.nullTypeIfAllNull(bound) else {
            let types = bound.filter { !Coercion.isNullLiteral($0) }.map(\.type.description)
            throw SQLError(
                "coalesce needs arguments of one type, found \(types.joined(separator: ", "))\(whereText)",
                at: call.position)
        }
        return .function(.coalesce, bound.map { Coercion.convert($0, to: type) ?? $0 }, type: type)
    }

    /// `regexp_extract(s, pattern[, group])`: the pattern is a constant (compiled once), the group
    /// a constant defaulting to 1, as in Spark.
    private mutating func bindRegexpExtract(_ call: FunctionCall) throws(SQLError) -> BoundExpr {
        try call.arity(2...3)
        let subject = try stringOperand(call.arguments[0])
        let pattern = try call.stringLiteral(1, what: "pattern")
        var groupIndex: Int64 = 1
        if call.arguments.count == 3 {
            guard case .literal(.integer(let value)) = call.arguments[2].kind, value >= 0 else {
                throw SQLError(
                    "the group of regexp_extract must be a non-negative integer literal, found \(SQLText.quoted(call.arguments[2]))",
                    at: call.arguments[2].start)
            }
            groupIndex = value
        }
        let arguments: [BoundExpr] = [
            subject, .literal(.string(pattern), type: .string), .literal(.int64(groupIndex), type: .int64),
        ]
        return .function(.regexpExtract, arguments, type: .string)
    }

    private mutating func integerArgument(_ call: FunctionCall, _ index: Int) throws(SQLError) -> BoundExpr {
        let argument = call.arguments[index]
        let bound = try bind(argument)
        guard let converted = Coercion.convert(bound, to: .int64) else {
            throw SQLError(
                "argument \(index + 1) of \(call.name) must be BIGINT, found \(Self.describe(argument, bound))\(whereText)",
                at: argument.start)
        }
        return converted
    }

    /// A TIMESTAMP, or a string literal read as one.
    private mutating func timestampArgument(_ call: FunctionCall, _ index: Int) throws(SQLError) -> BoundExpr {
        let argument = call.arguments[index]
        let bound = try bind(argument)
        if Coercion.stringLiteral(bound) != nil {
            guard let converted = Coercion.convert(bound, to: .timestamp, parsingStrings: true) else {
                throw unreadable(argument, as: .timestamp)
            }
            return converted
        }
        guard let converted = Coercion.convert(bound, to: .timestamp) else {
            throw SQLError(
                "argument \(index + 1) of \(call.name) must be TIMESTAMP, found \(Self.describe(argument, bound))\(whereText)",
                at: argument.start)
        }
        return converted
    }

    /// "aggregate function 'count' is not allowed in WHERE", or nested inside another aggregate.
    func misplacedAggregate(_ name: String, at position: SourcePosition) -> SQLError {
        if let outer = insideAggregate {
            return SQLError("aggregate function calls cannot be nested: '\(name)' inside '\(outer)'", at: position)
        }
        let advice = clause == .filter ? "; filter groups with HAVING" : ""
        return SQLError("aggregate function '\(name)' is not allowed in \(clause.rawValue)\(advice)", at: position)
    }
}

/// A call being bound: its arguments and where it is, for arity and literal checks.
struct FunctionCall {
    var name: String
    var arguments: [Expr]
    var position: SourcePosition

    func arity(_ range: ClosedRange<Int>) throws(SQLError) {
        guard !range.contains(arguments.count) else { return }
        let expected =
            range.upperBound == Int.max
            ? "at least \(range.lowerBound) argument\(range.lowerBound == 1 ? "" : "s")"
            : range.count == 1
                ? "\(range.lowerBound) argument\(range.lowerBound == 1 ? "" : "s")"
                : "\(range.lowerBound) to \(range.upperBound) arguments"
        throw SQLError("\(name) takes \(expected), found \(arguments.count)", at: position)
    }

    /// Argument `index` as a constant string.
    func stringLiteral(_ index: Int, what: String) throws(SQLError) -> String {
        guard case .literal(.string(let text)) = arguments[index].kind else {
            throw SQLError(
                "the \(what) of \(name) must be a string literal, found \(SQLText.quoted(arguments[index]))",
                at: arguments[index].start)
        }
        return text
    }
}
