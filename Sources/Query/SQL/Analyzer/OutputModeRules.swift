/// Spark's rules for output modes, with the reason spelt out when a mode cannot work.
enum OutputModeRules {
    /// What the rules look at.
    struct Shape {
        var isAggregation: Bool
        var window: WindowSpec?
        /// True when the window's time is the stream's event-time column, which a watermark follows.
        var windowOnEventTime: Bool
        var hasWatermark: Bool
        var streamName: String
        var eventTimeName: String?
    }

    /// The requested mode checked against the query, or the default when none is requested.
    static func resolve(_ requested: (mode: OutputMode, position: SourcePosition)?, _ shape: Shape) throws(SQLError)
        -> OutputMode
    {
        let finalizable = shape.window != nil && shape.hasWatermark && shape.windowOnEventTime
        guard let (mode, position) = requested else {
            return !shape.isAggregation || finalizable ? .append : .update
        }
        guard shape.isAggregation else {
            guard mode != .complete else {
                throw SQLError(
                    "output_mode 'complete' needs an aggregation: a query without GROUP BY or aggregates keeps no result table to rewrite; use 'append'",
                    at: position)
            }
            // Spark accepts update on a stateless query and writes exactly what append writes.
            return .append
        }
        switch mode {
        case .update: return .update
        case .complete:
            guard shape.window == nil else {
                throw SQLError(
                    "output_mode 'complete' rewrites every group every batch, so it suits only aggregations without a window (small results); use 'append' or 'update'",
                    at: position)
            }
            return .complete
        case .append:
            guard finalizable else { throw appendError(shape, at: position) }
            return .append
        }
    }

    private static func appendError(_ shape: Shape, at position: SourcePosition) -> SQLError {
        let message: String
        if shape.window == nil {
            message =
                "output_mode 'append' needs a window(...) or session_window(...) in GROUP BY and a watermark: without them a group's row is never final, so append could never write it; use output_mode = 'update' or 'complete'"
        } else if !shape.hasWatermark {
            message =
                "output_mode 'append' on a windowed aggregation needs a watermark to know when a window is final: add event_time and watermark to CREATE STREAM \(shape.streamName), or use output_mode = 'update'"
        } else {
            message =
                "output_mode 'append' needs the window over the event-time column '\(shape.eventTimeName ?? "")', which the watermark follows; use it in window(...), or use output_mode = 'update'"
        }
        return SQLError(message, at: position)
    }
}
