extension Binder {
    /// In group mode: an aggregate, a window bound, a HAVING alias, or a subexpression equal to a
    /// group key becomes a group-row column; nil means "bind the node's parts one by one".
    mutating func bindGrouped(_ expr: Expr) throws(SQLError) -> BoundExpr? {
        guard let scope = group else { return nil }
        switch expr.kind {
        case .call(let name, _, _, _) where AggregateFunctions.isAggregate(name):
            return try bindAggregate(expr)
        case .column(let qualifier, let name):
            if let bound = try windowBound(qualifier, name, at: expr.position) { return bound }
            if let alias = havingAlias(qualifier, name) {
                // The alias's own expression may not name the alias again.
                var inner = self
                inner.selectAliases = []
                let bound = try inner.bind(alias)
                group = inner.group
                return bound
            }
        default: break
        }
        if !expr.containsColumn || isGroupLevel(expr) { return nil }
        // With no keys nothing can match, so only a bare column needs binding (for its error).
        if scope.keys.isEmpty, !Self.isColumn(expr) { return nil }
        var input = self
        input.group = nil
        let bound = try input.bind(expr)
        // Comparing with a key stops at the first difference, so it costs at most the key's
        // (size-checked) size, however large `bound` expands.
        if let key = scope.keys.firstIndex(of: bound) {
            return .column(index: scope.keyOffset + key, type: bound.type)
        }
        if case .column = expr.kind {
            throw SQLError(
                "expression '\(SQLText.quoted(expr))' is neither in the GROUP BY nor inside an aggregate function; add it to GROUP BY or aggregate it, e.g. max(\(SQLText.quoted(expr)))",
                at: expr.start)
        }
        return nil
    }

    /// `window.start`/`window.end` (or `session_window.*`) as group-row columns 0 and 1; nil when
    /// the name is not a window bound. Errors say where bounds can be used and how to name them.
    func windowBound(_ qualifier: String?, _ name: String, at position: SourcePosition) throws(SQLError) -> BoundExpr? {
        guard let qualifier else {
            if Self.windowNames.contains(name.lowercased()), schema.index(of: name) == nil,
                let windowName = group?.windowName
            {
                throw SQLError(
                    "cannot select '\(name)' itself; select its bounds: \(windowName).start, \(windowName).end",
                    at: position)
            }
            return nil
        }
        let lowered = qualifier.lowercased()
        guard Self.windowNames.contains(lowered), !qualifiers.contains(lowered) else { return nil }
        guard let scope = group else {
            throw SQLError(
                "'\(qualifier).\(name)' is only available in the SELECT list and HAVING of a query with GROUP BY \(lowered)(...)",
                at: position)
        }
        guard let windowName = scope.windowName else {
            throw SQLError("'\(qualifier).\(name)' needs a \(lowered)(...) in GROUP BY", at: position)
        }
        guard windowName == lowered else {
            throw SQLError(
                "the GROUP BY uses \(windowName)(...), so its bounds are \(windowName).start and \(windowName).end",
                at: position)
        }
        switch name.lowercased() {
        case "start": return .column(index: 0, type: .timestamp)
        case "end": return .column(index: 1, type: .timestamp)
        default:
            throw SQLError("\(windowName) has the fields start and end, not '\(name)'", at: position)
        }
    }

    /// The SELECT expression a HAVING name stands for, when it is an alias and not a column.
    private func havingAlias(_ qualifier: String?, _ name: String) -> Expr? {
        guard clause == .having, qualifier == nil, schema.index(of: name) == nil else { return nil }
        let lowered = name.lowercased()
        return selectAliases.first { $0.name.lowercased() == lowered }?.expr
    }

    /// True when `expr` holds something only the group row has: an aggregate, a window bound or
    /// call, or a HAVING alias. Such a node is bound part by part. Memoized per node, so asking at
    /// every level of a tall tree stays linear.
    private func isGroupLevel(_ expr: Expr) -> Bool {
        let key = InputBindingMemo.GroupLevelKey(
            node: expr.identity, inHaving: clause == .having && !selectAliases.isEmpty)
        if let known = memo.groupLevel[key] { return known }
        let answer: Bool
        switch expr.kind {
        case .call(let name, _, _, _) where AggregateFunctions.isAggregate(name) || Self.windowNames.contains(name):
            answer = true
        case .column(let qualifier, let name):
            if havingAlias(qualifier, name) != nil {
                answer = true
            } else if let qualifier {
                answer = Self.windowNames.contains(qualifier.lowercased())
            } else {
                answer = Self.windowNames.contains(name.lowercased()) && schema.index(of: name) == nil
            }
        default:
            answer = expr.kind.children.contains { isGroupLevel($0) }
        }
        memo.groupLevel[key] = answer
        return answer
    }

    static func isColumn(_ expr: Expr) -> Bool {
        if case .column = expr.kind { true } else { false }
    }

    /// True when an aggregate call appears anywhere in `expr`.
    static func containsAggregate(_ expr: Expr) -> Bool { expr.containsAggregate }
}
