/// Event-time watermark rules, as in Spark: the watermark trails the largest event time seen by
/// the source's delay, is advanced at the end of each batch, and never moves backwards.
public enum Watermark {
    /// The watermark after a batch whose largest event time (across all its map tasks) was
    /// `batchMaxEventTimeMs`: max(previous, batch max − delay). Nil until an event time was seen,
    /// so nothing is late before the first row (Spark starts at 0, which would drop pre-1970 rows).
    public static func next(previousMs: Int64?, batchMaxEventTimeMs: Int64?, delayMs: Int64) -> Int64? {
        guard let batchMaxEventTimeMs else { return previousMs }
        let (candidate, overflow) = batchMaxEventTimeMs.subtractingReportingOverflow(delayMs)
        let trailing = overflow ? (delayMs > 0 ? Int64.min : Int64.max) : candidate
        guard let previousMs else { return trailing }
        return max(previousMs, trailing)
    }

    /// Spark's rule for running a batch with no new data: the job keeps windowed state that the
    /// watermark evicts or emits (append or update mode with a watermark), and the watermark has
    /// moved past the one the last batch ran with.
    public static func shouldRunNoDataBatch(plan: JobPlan, lastBatchWatermarkMs: Int64?, currentWatermarkMs: Int64?)
        -> Bool
    {
        guard case .aggregate(let aggregation) = plan.body, aggregation.window != nil,
            plan.source.watermarkDelayMs != nil, plan.outputMode != .complete, let currentWatermarkMs
        else { return false }
        guard let lastBatchWatermarkMs else { return true }
        return currentWatermarkMs > lastBatchWatermarkMs
    }
}
