/// The GROUP BY of an aggregation: its window (at most one) and its keys, bound over the source.
struct GroupByResult {
    var window: WindowGrouping?
    /// `window` or `session_window`; nil without a window.
    var windowName: String?
    var keys: [NamedExpr]
}

/// Resolves GROUP BY items as Spark does: a position in the SELECT list (`GROUP BY 1`), a
/// `window(...)`/`session_window(...)` call, a stream column, or else a SELECT alias.
struct GroupByAnalyzer {
    /// More overlapping windows per row than this would multiply the state for little use.
    static let windowsPerRowMax: Int64 = 100

    var binder: Binder
    let items: [SelectItem]

    mutating func analyze(_ groupBy: [Expr]) throws(SQLError) -> GroupByResult {
        var result = GroupByResult(window: nil, windowName: nil, keys: [])
        for item in groupBy {
            let (target, name) = try resolve(item)
            if case .call(let callName, let arguments, _, _) = target.kind, Binder.windowNames.contains(callName) {
                guard result.window == nil else {
                    throw SQLError(
                        "only one window(...) or session_window(...) may appear in GROUP BY", at: target.position)
                }
                result.window = try window(callName, arguments, at: target.position)
                result.windowName = callName
                continue
            }
            binder.clause = .groupBy
            let bound = try binder.bind(target)
            try BoundSize.check(bound, at: target.start)
            if !result.keys.contains(where: { $0.expr == bound }) {
                result.keys.append(NamedExpr(name ?? binder.derivedName(target), bound))
            }
        }
        return result
    }

    /// The expression an item stands for, and the key name an alias or position gives it.
    private func resolve(_ item: Expr) throws(SQLError) -> (Expr, String?) {
        if case .literal(.integer(let position)) = item.kind {
            guard position >= 1, position <= items.count else {
                throw SQLError(
                    "GROUP BY position \(position) is not in the select list, which has \(items.count) item\(items.count == 1 ? "" : "s")",
                    at: item.position)
            }
            guard case .expr(let expr, let alias) = items[Int(position) - 1] else {
                throw SQLError(
                    "GROUP BY position \(position) refers to *, which cannot be grouped by", at: item.position)
            }
            guard !Binder.containsAggregate(expr) else {
                throw SQLError(
                    "GROUP BY position \(position) refers to an aggregate, \(SQLText.quoted(expr))", at: item.position)
            }
            return (expr, alias?.text ?? binder.derivedName(expr))
        }
        if case .column(nil, let name) = item.kind, binder.schema.index(of: name) == nil {
            for case .expr(let expr, let alias?) in items where alias.text.lowercased() == name.lowercased() {
                guard !Binder.containsAggregate(expr) else {
                    throw SQLError(
                        "GROUP BY cannot use '\(name)': it is the aggregate \(SQLText.quoted(expr))", at: item.position)
                }
                return (expr, alias.text)
            }
        }
        return (item, nil)
    }

    /// `window(time, size[, slide])` or `session_window(time, gap)`.
    private mutating func window(_ name: String, _ arguments: [Expr], at position: SourcePosition) throws(SQLError)
        -> WindowGrouping
    {
        let call = FunctionCall(name: name, arguments: arguments, position: position)
        try call.arity(name == "window" ? 2...3 : 2...2)
        binder.clause = .window
        let time = try binder.bind(arguments[0])
        guard time.type == .timestamp else {
            throw SQLError(
                "the time argument of \(name)(...) must be TIMESTAMP, found \(Binder.describe(arguments[0], time))",
                at: arguments[0].start)
        }
        try BoundSize.check(time, at: arguments[0].start)
        if name == "session_window" {
            return WindowGrouping(spec: .session(gapMs: try interval(arguments[1], what: "gap", of: name)), time: time)
        }
        let sizeMs = try interval(arguments[1], what: "size", of: name)
        guard arguments.count == 3 else { return WindowGrouping(spec: .tumbling(sizeMs: sizeMs), time: time) }
        let slideMs = try interval(arguments[2], what: "slide", of: name)
        guard slideMs <= sizeMs else {
            throw SQLError(
                "the slide of window(...) (\(DurationText.format(slideMs))) must not exceed its size (\(DurationText.format(sizeMs)))",
                at: arguments[2].start)
        }
        let windowsPerRow = (sizeMs + slideMs - 1) / slideMs
        guard windowsPerRow <= Self.windowsPerRowMax else {
            throw SQLError(
                "window size / slide puts each row in \(windowsPerRow) windows; at most \(Self.windowsPerRowMax) are allowed",
                at: arguments[2].start)
        }
        let spec: WindowSpec =
            slideMs == sizeMs ? .tumbling(sizeMs: sizeMs) : .sliding(sizeMs: sizeMs, slideMs: slideMs)
        return WindowGrouping(spec: spec, time: time)
    }

    /// A positive interval: `'10 seconds'` or `INTERVAL 10 SECONDS`.
    private func interval(_ expr: Expr, what: String, of name: String) throws(SQLError) -> Int64 {
        let ms: Int64
        switch expr.kind {
        case .literal(.interval(let value, _)): ms = value
        case .literal(.string(let text)):
            switch IntervalText.parse(text) {
            case .success(let value): ms = value
            case .failure(let error):
                throw SQLError("invalid \(what) of \(name)(...): \(error.message)", at: expr.start)
            }
        default:
            throw SQLError(
                "the \(what) of \(name)(...) must be an interval literal like '10 seconds' or INTERVAL 10 SECONDS, found \(SQLText.quoted(expr))",
                at: expr.start)
        }
        guard ms > 0 else { throw SQLError("the \(what) of \(name)(...) must be positive", at: expr.start) }
        return ms
    }
}
