import Testing

@testable import Query

/// Hand-built plans for the Exec tests (the SQL compiler is another helper's).
enum TestPlan {
    /// An aggregation over an input batch with exactly `fields` (every source column decoded).
    /// The group row is window start/end (if windowed), the keys, then the aggregates; the output
    /// is the group row unchanged unless `output` says otherwise.
    static func aggregation(
        fields: [Field], eventTime: Int? = nil, watermarkDelayMs: Int64? = nil, filter: BoundExpr? = nil,
        window: WindowSpec? = nil, windowTime: BoundExpr? = nil, keys: [(String, BoundExpr)] = [],
        aggregates: [(String, AggregateCall)], having: BoundExpr? = nil, output: [NamedExpr]? = nil,
        outputMode: OutputMode = .complete, partitions: Int = 3
    ) -> JobPlan {
        var groupFields: [Field] =
            window == nil ? [] : [Field("window_start", .timestamp), Field("window_end", .timestamp)]
        groupFields += keys.map { Field($0.0, $0.1.type) }
        groupFields += aggregates.map { Field($0.0, $0.1.resultType) }
        let groupSchema = Schema(groupFields)
        let projection =
            output ?? groupFields.enumerated().map { NamedExpr($1.name, .column(index: $0, type: $1.type)) }
        let grouping = window.map { spec in
            WindowGrouping(spec: spec, time: windowTime ?? .column(index: eventTime ?? 0, type: .timestamp))
        }
        let aggregation = AggregationPlan(
            window: grouping, keys: keys.map { NamedExpr($0.0, $0.1) }, aggregates: aggregates.map(\.1),
            groupSchema: groupSchema, having: having, output: projection)
        return JobPlan(
            source: source(fields, eventTime: eventTime, watermarkDelayMs: watermarkDelayMs),
            decodedColumns: Array(fields.indices), eventTimeColumn: eventTime, filter: filter,
            body: .aggregate(aggregation),
            sink: SinkSpec(name: "out", kind: .console),
            outputSchema: Schema(projection.map { Field($0.name, $0.expr.type) }),
            outputMode: outputMode, shufflePartitions: partitions)
    }

    /// A filter-and-project job.
    static func stateless(fields: [Field], eventTime: Int? = nil, filter: BoundExpr?, projections: [NamedExpr])
        -> JobPlan
    {
        JobPlan(
            source: source(fields, eventTime: eventTime, watermarkDelayMs: nil), decodedColumns: Array(fields.indices),
            eventTimeColumn: eventTime, filter: filter, body: .stateless(projections),
            sink: SinkSpec(name: "out", kind: .console),
            outputSchema: Schema(projections.map { Field($0.name, $0.expr.type) }), outputMode: .append)
    }

    static func source(_ fields: [Field], eventTime: Int?, watermarkDelayMs: Int64?) -> SourceSpec {
        SourceSpec(
            name: "events", topic: "events", format: .json, schema: Schema(fields), eventTimeColumn: eventTime,
            watermarkDelayMs: watermarkDelayMs)
    }
}

/// Decoded records for hand-made rows: record `i` has offset `firstOffset + i` and raw bytes
/// `row-<offset>`, so dead letters can be checked against the rows they came from.
func makeRecords(_ rows: [[Value]], schema: Schema, partition: Int32 = 0, firstOffset: Int64 = 0)
    -> (SourceRecords, DecodedRecords)
{
    let values = rows.indices.map { Array("row-\(firstOffset + Int64($0))".utf8) }
    let records = SourceRecords(partition: partition, firstOffset: firstOffset, values: values)
    let columns = schema.fields.enumerated().map { index, field in Column(field.type, values: rows.map { $0[index] }) }
    let batch = RecordBatch(schema: schema, columns: columns)
    return (records, DecodedRecords(batch: batch, recordIndexes: Array(rows.indices), deadLetters: []))
}

/// Runs an aggregation batch by batch the way the runtime will: map tasks over slices of the
/// input, one reduce task per partition, the watermark advanced after each batch.
struct Pipeline {
    let plan: JobPlan
    var states: [AggregationState]
    var watermarkMs: Int64?
    var batchId: Int64 = 0
    var nextOffset: Int64 = 0
    /// Every delta each partition produced, in order.
    var deltas: [[[UInt8]]]
    /// The blocks each partition's reduce task got in the last batch.
    var lastBlocks: [[[UInt8]]] = []
    /// Each partition's reduce output in the last batch.
    var lastOutputs: [ReduceTaskOutput] = []

    init(_ plan: JobPlan) throws {
        self.plan = plan
        states = try (0..<plan.shufflePartitions).map { try AggregationState(plan: plan, partition: $0) }
        deltas = Array(repeating: [], count: plan.shufflePartitions)
    }

    struct BatchResult {
        var rows: [[Value]]
        var deadLetters: [DeadLetter]
        var mapMetrics: [MapTaskMetrics]
        var stateMetrics: [StateMetrics]
    }

    /// One micro-batch; `mapTasks` holds each map task's rows (empty for a no-data batch).
    mutating func run(_ mapTasks: [[[Value]]]) throws -> BatchResult {
        var blocks = [[[UInt8]]](repeating: [], count: plan.shufflePartitions)
        var result = BatchResult(rows: [], deadLetters: [], mapMetrics: [], stateMetrics: [])
        var maxEventTime: Int64? = nil
        for (task, rows) in mapTasks.enumerated() {
            let (records, decoded) = makeRecords(
                rows, schema: plan.inputSchema, partition: Int32(task), firstOffset: nextOffset)
            nextOffset += Int64(rows.count)
            let output = try MapTask.run(plan: plan, records: records, decoded: decoded, watermarkMs: watermarkMs)
            for partition in 0..<plan.shufflePartitions { blocks[partition].append(output.shuffleBlocks[partition]) }
            result.deadLetters += output.deadLetters
            result.mapMetrics.append(output.metrics)
            if let high = output.metrics.maxEventTimeMs { maxEventTime = max(maxEventTime ?? high, high) }
        }
        lastBlocks = blocks
        lastOutputs = []
        for partition in 0..<plan.shufflePartitions {
            let output = try ReduceTask.run(
                plan: plan, partition: partition, blocks: blocks[partition], state: &states[partition],
                batchId: batchId,
                watermarkMs: watermarkMs)
            result.rows += output.rows.rows
            result.stateMetrics.append(output.metrics)
            deltas[partition].append(output.stateDelta)
            lastOutputs.append(output)
        }
        watermarkMs = Watermark.next(
            previousMs: watermarkMs, batchMaxEventTimeMs: maxEventTime, delayMs: plan.source.watermarkDelayMs ?? 0)
        batchId += 1
        return result
    }

    /// Every group held now, across partitions, sorted for comparison.
    func groups() throws -> [[Value]] {
        try states.flatMap { try $0.groupRows(plan: plan).rows }.sorted(by: rowOrder)
    }
}

/// A total order on rows of values, for comparing row sets.
func rowOrder(_ a: [Value], _ b: [Value]) -> Bool {
    for (x, y) in zip(a, b) where x != y { return valueOrder(x, y) }
    return a.count < b.count
}

func valueOrder(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.null, _): return true
    case (_, .null): return false
    case (.int64(let x), .int64(let y)), (.timestamp(let x), .timestamp(let y)): return x < y
    case (.double(let x), .double(let y)): return x < y
    case (.string(let x), .string(let y)): return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
    case (.bool(let x), .bool(let y)): return !x && y
    default: return a.description < b.description
    }
}
