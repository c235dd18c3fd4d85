/// Chooses the columns the decoder builds (exactly those the query reads, plus the event-time
/// column under a watermark) and rewrites every input-side expression to index the input batch.
struct InputColumns {
    var decodedColumns: [Int]
    var eventTimeColumn: Int?
    var filter: BoundExpr?
    var body: JobBody
    var windowOnEventTime: Bool

    static func narrow(_ query: BoundQuery, source: SourceSpec) -> InputColumns {
        var used: Set<Int> = []
        query.filter?.collectColumns(into: &used)
        var window: WindowGrouping?
        switch query.body {
        case .stateless(let output):
            for named in output { named.expr.collectColumns(into: &used) }
        case .aggregate(let plan):
            window = plan.window
            plan.window?.time.collectColumns(into: &used)
            for key in plan.keys { key.expr.collectColumns(into: &used) }
            for call in plan.aggregates { call.argument?.collectColumns(into: &used) }
        }
        if source.watermarkDelayMs != nil, let eventTime = source.eventTimeColumn { used.insert(eventTime) }
        if used.isEmpty, !source.schema.fields.isEmpty {
            // A batch with no column has no row count, so count(*) alone still decodes one column:
            // a STRING one when there is one, since any JSON value reads as a string.
            used.insert(source.schema.fields.firstIndex { $0.type == .string } ?? 0)
        }
        let decoded = used.sorted()
        let mapping = Dictionary(uniqueKeysWithValues: decoded.enumerated().map { ($0.element, $0.offset) })
        var windowOnEventTime = false
        if let window, let eventTime = source.eventTimeColumn, case .column(let index, _) = window.time {
            windowOnEventTime = index == eventTime
        }
        return InputColumns(
            decodedColumns: decoded, eventTimeColumn: source.eventTimeColumn.flatMap { mapping[$0] },
            filter: query.filter?.remappingColumns(mapping), body: remap(query.body, mapping),
            windowOnEventTime: windowOnEventTime)
    }

    private static func remap(_ body: JobBody, _ mapping: [Int: Int]) -> JobBody {
        switch body {
        case .stateless(let output):
            return .stateless(output.map { NamedExpr($0.name, $0.expr.remappingColumns(mapping)) })
        case .aggregate(var plan):
            plan.window = plan.window.map { WindowGrouping(spec: $0.spec, time: $0.time.remappingColumns(mapping)) }
            plan.keys = plan.keys.map { NamedExpr($0.name, $0.expr.remappingColumns(mapping)) }
            plan.aggregates = plan.aggregates.map {
                AggregateCall($0.kind, $0.argument?.remappingColumns(mapping), resultType: $0.resultType)
            }
            return .aggregate(plan)
        }
    }
}
