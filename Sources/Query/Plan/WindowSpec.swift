/// How rows are grouped in event time. Windows are aligned to the Unix epoch, as in Spark:
/// a tumbling window of 10 s covers [k·10 s, (k+1)·10 s).
public enum WindowSpec: Sendable, Hashable {
    /// `window(ts, size)`: fixed, non-overlapping windows.
    case tumbling(sizeMs: Int64)
    /// `window(ts, size, slide)`: each row falls in size/slide overlapping windows.
    case sliding(sizeMs: Int64, slideMs: Int64)
    /// `session_window(ts, gap)`: a window per burst of a key's rows with gaps below `gapMs`;
    /// sessions that come within the gap of each other merge.
    case session(gapMs: Int64)
}

/// The event-time grouping of an aggregation: the window and the TIMESTAMP expression it uses.
public struct WindowGrouping: Sendable, Hashable {
    /// The window.
    public var spec: WindowSpec
    /// The event time of each row, over the aggregation's input batch (TIMESTAMP).
    public var time: BoundExpr

    /// A window grouping.
    public init(spec: WindowSpec, time: BoundExpr) {
        self.spec = spec
        self.time = time
    }
}
