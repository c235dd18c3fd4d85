/// The map stage of a micro-batch for one source partition range: decoded rows in, sink rows
/// (stateless jobs) or shuffle blocks of partial aggregates (aggregations) out. Pure computation.
public enum MapTask {
    /// Runs the map side of `plan` over `decoded` (what the decoder made of `records`), with the
    /// batch's watermark (nil before any event time was seen).
    public static func run(plan: JobPlan, records: SourceRecords, decoded: DecodedRecords, watermarkMs: Int64?) throws
        -> MapTaskOutput
    {
        let batch = decoded.batch
        try PlanCheck.input(batch, plan: plan)
        let times = try plan.eventTimeColumn.map { index -> Column in
            try evaluate(.column(index: index, type: .timestamp), batch)
        }
        var metrics = MapTaskMetrics(
            inputRecords: records.count, inputRows: batch.rowCount, rowsAfterFilter: 0, lateRowsDropped: 0,
            minEventTimeMs: nil, maxEventTimeMs: nil)
        if let times { (metrics.minEventTimeMs, metrics.maxEventTimeMs) = extremes(times) }

        var late: [Int32] = []
        if case .aggregate = plan.body, plan.outputMode != .complete, let watermarkMs, let times {
            late = lateRows(times, watermarkMs: watermarkMs)
        }
        var deadLetters = decoded.deadLetters
        if !late.isEmpty {
            deadLetters += try lateLetters(
                late, times: times, watermarkMs: watermarkMs ?? 0, records: records, decoded: decoded)
            deadLetters.sort { $0.offset < $1.offset }
        }
        let kept = try keptRows(batch, plan: plan, late: late)
        metrics.lateRowsDropped = late.count
        metrics.rowsAfterFilter = kept.count

        switch plan.body {
        case .stateless(let projections):
            let rows = try project(batch.gathering(kept), projections, schema: plan.outputSchema)
            return MapTaskOutput(shuffleBlocks: [], rows: rows, deadLetters: deadLetters, metrics: metrics)
        case .aggregate(let aggregation):
            var store = GroupStore(layout: try GroupLayout(aggregation), mode: .map)
            store.aggregate(
                try aggregationInput(batch, aggregation, rows: kept, layout: store.layout),
                window: aggregation.window?.spec)
            let blocks = ShuffleBlock.encode(store, partitions: plan.shufflePartitions)
            return MapTaskOutput(shuffleBlocks: blocks, rows: nil, deadLetters: deadLetters, metrics: metrics)
        }
    }

    private static func extremes(_ times: Column) -> (Int64?, Int64?) {
        var low = Int64.max
        var high = Int64.min
        var seen = false
        for row in 0..<times.count where !times.isNull(row) {
            low = min(low, times.int64s[row])
            high = max(high, times.int64s[row])
            seen = true
        }
        return seen ? (low, high) : (nil, nil)
    }

    /// Rows whose event time is strictly below the watermark.
    private static func lateRows(_ times: Column, watermarkMs: Int64) -> [Int32] {
        var late: [Int32] = []
        times.int64s.withUnsafeBufferPointer { values in
            for row in 0..<values.count where values[row] < watermarkMs && !times.isNull(row) {
                late.append(Int32(truncatingIfNeeded: row))
            }
        }
        return late
    }

    private static func lateLetters(
        _ late: [Int32], times: Column?, watermarkMs: Int64, records: SourceRecords, decoded: DecodedRecords
    ) throws -> [DeadLetter] {
        guard let times else { return [] }
        return try late.map { row in
            let record = decoded.recordIndexes[Int(row)]
            guard record >= 0, record < records.count else {
                throw PlanShapeError.invalid("decoded row \(row) points at record \(record) of \(records.count)")
            }
            return DeadLetter(
                partition: records.partition, offset: records.offsets[record],
                reason: .late(eventTimeMs: times.int64s[Int(row)], watermarkMs: watermarkMs),
                raw: records.value(at: record) ?? [])
        }
    }

    /// Rows that are not late and pass the WHERE filter.
    private static func keptRows(_ batch: RecordBatch, plan: JobPlan, late: [Int32]) throws -> [Int32] {
        var keep: [Bool]
        if let filter = plan.filter {
            let predicate = try evaluate(filter, batch)
            guard predicate.type == .bool else { throw ExprError.typeMismatch(context: "WHERE", found: predicate.type) }
            keep = predicate.bools  // a NULL row's slot holds false
        } else {
            keep = [Bool](repeating: true, count: batch.rowCount)
        }
        for row in late { keep[Int(row)] = false }
        return Selection.rows(where: Column(.bool, count: keep.count, bools: keep))
    }

    /// Output rows: each named expression over `batch`, at the output schema's types.
    static func project(_ batch: RecordBatch, _ projections: [NamedExpr], schema: Schema) throws -> RecordBatch {
        guard projections.count == schema.count else {
            throw PlanShapeError.invalid("\(projections.count) output expressions for \(schema.count) output columns")
        }
        var evaluator = ExprEvaluator(batch: batch)
        var columns: [Column] = []
        for (projection, field) in zip(projections, schema.fields) {
            columns.append(evaluator.coerce(try evaluator.evaluate(projection.expr), to: field.type))
        }
        return RecordBatch(schema: schema, columns: columns)
    }

    private static func aggregationInput(
        _ batch: RecordBatch, _ aggregation: AggregationPlan, rows: [Int32], layout: GroupLayout
    ) throws -> AggregationInput {
        var evaluator = ExprEvaluator(batch: batch)
        let times = try aggregation.window.map { evaluator.coerce(try evaluator.evaluate($0.time), to: .timestamp) }
        let keys = try zip(aggregation.keys, layout.keyTypes).map {
            evaluator.coerce(try evaluator.evaluate($0.expr), to: $1)
        }
        var arguments: [Column?] = []
        for (call, kind) in zip(aggregation.aggregates, layout.aggregates) {
            guard let argument = call.argument else {
                arguments.append(nil)
                continue
            }
            let column = try evaluator.evaluate(argument)
            switch kind {
            case .sumInt: arguments.append(evaluator.coerce(column, to: .int64))
            case .min(let type), .max(let type), .distinct(let type), .approxDistinct(let type), .topK(_, let type):
                arguments.append(evaluator.coerce(column, to: type))
            case .countStar, .count, .sumDouble, .avg: arguments.append(column)
            }
        }
        return AggregationInput(rows: rows, times: times, keys: keys, arguments: arguments)
    }
}
