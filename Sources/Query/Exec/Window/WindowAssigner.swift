/// Which event-time windows a row falls in. Windows are aligned to the Unix epoch, as in Spark.
/// A row whose window bounds do not fit in Int64 (hundreds of millions of years away) is in no window.
enum WindowAssigner {
    /// The tumbling window `[start, end)` holding `time`, or nil when it cannot be represented.
    @inline(__always)
    static func tumbling(_ time: Int64, sizeMs: Int64) -> (start: Int64, end: Int64)? {
        let (start, underflow) = time.subtractingReportingOverflow(CivilTime.floorMod(time, sizeMs))
        let (end, overflow) = start.addingReportingOverflow(sizeMs)
        return underflow || overflow ? nil : (start, end)
    }

    /// Calls `body(start, end)` for each sliding window holding `time`, latest start first: the
    /// windows starting at multiples of `slideMs` in `(time - sizeMs, time]`.
    @inline(__always)
    static func sliding(_ time: Int64, sizeMs: Int64, slideMs: Int64, _ body: (Int64, Int64) -> Void) {
        guard let last = tumbling(time, sizeMs: slideMs) else { return }
        var start = last.start
        while true {
            let (end, overflow) = start.addingReportingOverflow(sizeMs)
            guard !overflow, end > time else { return }
            body(start, end)
            let (previous, underflow) = start.subtractingReportingOverflow(slideMs)
            if underflow { return }
            start = previous
        }
    }

    /// The session window a single row opens: `[time, time + gapMs)`, nil if it cannot be represented.
    @inline(__always)
    static func session(_ time: Int64, gapMs: Int64) -> (start: Int64, end: Int64)? {
        let (end, overflow) = time.addingReportingOverflow(gapMs)
        return overflow ? nil : (time, end)
    }

    /// Whether two windows overlap; sessions merge exactly when they do, so rows closer than the
    /// gap share a session and rows exactly a gap apart do not.
    @inline(__always)
    static func overlaps(_ a: (start: Int64, end: Int64), _ b: (start: Int64, end: Int64)) -> Bool {
        a.start < b.end && b.start < a.end
    }
}
