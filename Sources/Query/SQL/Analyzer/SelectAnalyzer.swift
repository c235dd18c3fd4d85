/// The bound query, with column indexes over the *source schema* (the compiler narrows them to
/// the input batch once it knows which columns are decoded).
struct BoundQuery {
    var filter: BoundExpr?
    var body: JobBody
    /// The window's kind, for output-mode rules.
    var window: WindowSpec?
}

/// Binds a SELECT against its stream: the filter, then either a projection (stateless) or the
/// group keys, window, aggregates, HAVING and the SELECT list over the group row.
struct SelectAnalyzer {
    let query: SelectQuery
    var binder: Binder

    init(query: SelectQuery, source: SourceSpec) {
        self.query = query
        var qualifiers: Set<String> = [source.name.lowercased()]
        if let alias = query.alias { qualifiers.insert(alias.text.lowercased()) }
        binder = Binder(schema: source.schema, streamName: source.name, qualifiers: qualifiers)
    }

    /// True when the query groups or aggregates (Spark makes HAVING alone a global aggregate too).
    var isAggregation: Bool {
        !query.groupBy.isEmpty || query.having != nil
            || query.items.contains {
                if case .expr(let expr, _) = $0 { Binder.containsAggregate(expr) } else { false }
            }
    }

    mutating func analyze() throws(SQLError) -> BoundQuery {
        var filter: BoundExpr?
        if let condition = query.whereClause {
            binder.clause = .filter
            filter = try self.condition(condition, clause: "WHERE")
        }
        guard isAggregation else { return BoundQuery(filter: filter, body: .stateless(try projection()), window: nil) }
        var groupBy = GroupByAnalyzer(binder: binder, items: query.items)
        let grouping = try groupBy.analyze(query.groupBy)
        binder.group = GroupScope(windowName: grouping.windowName, keys: grouping.keys.map(\.expr))
        binder.selectAliases = query.items.compactMap {
            if case .expr(let expr, let alias?) = $0 { (alias.text, expr) } else { nil }
        }
        var output: [NamedExpr] = []
        for item in query.items {
            guard case .expr(let expr, let alias) = item else {
                throw SQLError(
                    "SELECT * is not allowed in an aggregation; list the group keys and aggregates", at: item.position)
            }
            binder.clause = .select
            let bound = try binder.bind(expr)
            try BoundSize.check(bound, at: expr.start)
            output.append(NamedExpr(alias?.text ?? binder.derivedName(expr), bound))
        }
        try checkDistinctNames(output)
        var having: BoundExpr?
        if let condition = query.having {
            binder.clause = .having
            having = try self.condition(condition, clause: "HAVING")
        }
        let scope = binder.group ?? GroupScope(windowName: nil, keys: [])
        let plan = AggregationPlan(
            window: grouping.window, keys: grouping.keys, aggregates: scope.aggregates,
            groupSchema: groupSchema(grouping, scope), having: having, output: output)
        return BoundQuery(filter: filter, body: .aggregate(plan), window: grouping.window?.spec)
    }

    /// WHERE or HAVING: a BOOLEAN (or NULL) condition.
    private mutating func condition(_ expr: Expr, clause: String) throws(SQLError) -> BoundExpr {
        let bound = try binder.bind(expr)
        try BoundSize.check(bound, at: expr.start)
        guard let condition = Coercion.convert(bound, to: .bool) else {
            throw SQLError(
                "\(clause) needs a BOOLEAN condition, found \(Binder.describe(expr, bound))", at: expr.start)
        }
        return condition
    }

    /// The SELECT list of a stateless query, `*` and `stream.*` expanded.
    private mutating func projection() throws(SQLError) -> [NamedExpr] {
        binder.clause = .select
        var output: [NamedExpr] = []
        for item in query.items {
            switch item {
            case .star(let qualifier, _):
                if let qualifier, !binder.qualifiers.contains(qualifier.text.lowercased()) {
                    throw SQLError(
                        "unknown qualifier '\(qualifier.text)' in '\(qualifier.text).*'; the query reads stream '\(binder.streamName)'",
                        at: qualifier.position)
                }
                for (index, field) in binder.schema.fields.enumerated() {
                    output.append(NamedExpr(field.name, .column(index: index, type: field.type)))
                }
            case .expr(let expr, let alias):
                let bound = try binder.bind(expr)
                try BoundSize.check(bound, at: expr.start)
                output.append(NamedExpr(alias?.text ?? binder.derivedName(expr), bound))
            }
        }
        try checkDistinctNames(output)
        return output
    }

    /// Output names must differ (case-insensitively, as columns are matched).
    private func checkDistinctNames(_ output: [NamedExpr]) throws(SQLError) {
        var seen: Set<String> = []
        for (named, item) in zip(output, expandedItemPositions()) {
            guard seen.insert(named.name.lowercased()).inserted else {
                throw SQLError(
                    "duplicate output column '\(named.name)'; give the columns different names with AS", at: item)
            }
        }
    }

    /// The position of each output column's SELECT item (a star counts once per column).
    private func expandedItemPositions() -> [SourcePosition] {
        query.items.flatMap { item -> [SourcePosition] in
            switch item {
            case .star(_, let position): Array(repeating: position, count: binder.schema.count)
            case .expr(let expr, _): [expr.start]
            }
        }
    }

    /// `window_start, window_end` (when windowed), the keys, then the aggregates.
    private func groupSchema(_ grouping: GroupByResult, _ scope: GroupScope) -> Schema {
        var fields: [Field] = []
        if grouping.window != nil {
            fields += [
                Field("window_start", .timestamp, nullable: false), Field("window_end", .timestamp, nullable: false),
            ]
        }
        fields += grouping.keys.map { Field($0.name, $0.expr.type) }
        for (call, name) in zip(scope.aggregates, scope.aggregateNames) {
            let counts: Bool
            switch call.kind {
            case .countStar, .count, .countDistinct, .approxCountDistinct: counts = true
            default: counts = false
            }
            fields.append(Field(name, call.resultType, nullable: !counts))
        }
        return Schema(fields)
    }
}

extension SelectItem {
    /// Where the item starts.
    var position: SourcePosition {
        switch self {
        case .star(let qualifier, let position): qualifier?.position ?? position
        case .expr(let expr, _): expr.start
        }
    }
}
