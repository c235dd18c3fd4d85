import Testing

@testable import Query

/// What a job did over a `ClickstreamInput`, batch by batch.
struct ClickstreamRun {
    /// Per batch that ran: the watermark it ran with, and whether it was a no-data batch.
    var batches: [BatchMark] = []
    /// Every row the sink received, with the index (into `batches`) of the batch that emitted it.
    var emitted: [(batch: Int, row: [Value])] = []
    /// Every dead letter of every map task.
    var deadLetters: [DeadLetter] = []
    /// Groups still held in state after the last batch.
    var groupsLeft = 0
}

/// A batch as the driver (or the reference) ran it.
struct BatchMark: Equatable, CustomStringConvertible {
    var watermarkMs: Int64?
    var noData: Bool

    var description: String { "\(noData ? "no-data" : "data")@\(watermarkMs.map(String.init) ?? "nil")" }
}

/// A deterministic micro-batch driver, as small as the driver's loop can be: per data batch,
/// decode and run one map task per source partition range, hand each reduce task its blocks in
/// map order, then advance the watermark from the batch's largest event time; on an idle trigger,
/// run a no-data batch when `Watermark.shouldRunNoDataBatch` says so.
enum ClickstreamDriver {
    static func run(_ plan: JobPlan, over input: ClickstreamInput) throws -> ClickstreamRun {
        let decoder = RecordDecoder(source: plan.source, decodedColumns: plan.decodedColumns)
        let delayMs = try #require(plan.source.watermarkDelayMs)
        var states = try (0..<plan.shufflePartitions).map { try AggregationState(plan: plan, partition: $0) }
        var run = ClickstreamRun()
        var watermarkMs: Int64?
        var lastBatchWatermarkMs: Int64?
        for step in input.steps {
            var blocks = [[[UInt8]]](repeating: [], count: plan.shufflePartitions)
            var batchMaxMs: Int64?
            switch step {
            case .data(let ranges):
                for (partition, range) in ranges.enumerated() where !range.isEmpty {
                    let records = input.records(partition, range)
                    let output = try MapTask.run(
                        plan: plan, records: records, decoded: decoder.decode(records), watermarkMs: watermarkMs)
                    for (reducer, block) in output.shuffleBlocks.enumerated() { blocks[reducer].append(block) }
                    run.deadLetters += output.deadLetters
                    if let high = output.metrics.maxEventTimeMs { batchMaxMs = max(batchMaxMs ?? high, high) }
                }
            case .idle:
                guard
                    Watermark.shouldRunNoDataBatch(
                        plan: plan, lastBatchWatermarkMs: lastBatchWatermarkMs, currentWatermarkMs: watermarkMs)
                else { continue }
            }
            let batch = run.batches.count
            for reducer in 0..<plan.shufflePartitions {
                let output = try ReduceTask.run(
                    plan: plan, partition: reducer, blocks: blocks[reducer], state: &states[reducer],
                    batchId: Int64(batch), watermarkMs: watermarkMs)
                run.emitted += output.rows.rows.map { (batch, $0) }
            }
            run.batches.append(BatchMark(watermarkMs: watermarkMs, noData: step == .idle))
            lastBatchWatermarkMs = watermarkMs
            watermarkMs = Watermark.next(previousMs: watermarkMs, batchMaxEventTimeMs: batchMaxMs, delayMs: delayMs)
        }
        run.groupsLeft = states.reduce(0) { $0 + $1.groupCount }
        return run
    }
}
