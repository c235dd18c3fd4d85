/// Checks that a plan and its inputs fit together before a task touches them, so a mismatch is a
/// typed error rather than a trap deep inside an operator.
enum PlanCheck {
    /// The most reduce partitions a plan may ask for.
    static let shufflePartitionsMax = 65_536

    /// The decoded batch has the plan's input schema (types in order).
    static func input(_ batch: RecordBatch, plan: JobPlan) throws(PlanShapeError) {
        let expected = plan.inputSchema.fields.map(\.type)
        let found = batch.schema.fields.map(\.type)
        guard expected == found else {
            throw .invalid("the decoded batch has columns \(found), the plan expects \(expected)")
        }
        if case .aggregate(let aggregation) = plan.body { try aggregationShape(aggregation, plan: plan) }
    }

    /// The group schema matches the window, keys and aggregates, and the partition count is sane.
    static func aggregationShape(_ aggregation: AggregationPlan, plan: JobPlan) throws(PlanShapeError) {
        guard plan.shufflePartitions >= 1, plan.shufflePartitions <= shufflePartitionsMax else {
            throw .invalid("shufflePartitions must be in 1...\(shufflePartitionsMax), not \(plan.shufflePartitions)")
        }
        var expected: [DataType] = aggregation.window == nil ? [] : [.timestamp, .timestamp]
        expected += aggregation.keys.map(\.expr.type)
        expected += aggregation.aggregates.map(\.resultType)
        let found = aggregation.groupSchema.fields.map(\.type)
        guard expected == found else {
            throw .invalid("the group schema has columns \(found), the aggregation makes \(expected)")
        }
        if plan.outputMode == .append && aggregation.window == nil {
            throw .invalid("append mode needs a windowed aggregation: an unwindowed group is never final")
        }
    }
}
