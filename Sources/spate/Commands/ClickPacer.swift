/// When to send how many events, so a stream holds its rate on average without a sleep per event:
/// events due by time t are `rate × (t − start)`, sent in one burst, then the sender sleeps until
/// the next one is due (at least `sleepMinNs`, so bursts stay a few ms apart, and at most
/// `sleepMaxNs`, so a stop request is seen soon). Pure: the caller reads the clock.
struct ClickPacer: Sendable {
    /// Events per second; 0 means no pacing (every call says a full burst is due).
    let ratePerSecond: Int
    let startNs: UInt64
    /// Sleeping less than this costs more in wake-ups than it gains in smoothness.
    static let sleepMinNs: UInt64 = 2_000_000
    static let sleepMaxNs: UInt64 = 100_000_000
    /// The most events one burst may hold, so progress lines and stop requests are never far off
    /// even when the sender has fallen behind.
    static let burstMax = 8_192

    init(ratePerSecond: Int, startNs: UInt64) {
        precondition(ratePerSecond >= 0, "a rate is not negative")
        self.ratePerSecond = ratePerSecond
        self.startNs = startNs
    }

    /// Events due in total by `nowNs` (unbounded for an unpaced stream).
    func due(atNs nowNs: UInt64) -> Int {
        guard ratePerSecond > 0 else { return Int.max }
        let elapsedNs = nowNs &- startNs
        guard nowNs > startNs else { return 0 }
        // Whole seconds and the rest separately, so a long run at a high rate cannot overflow.
        let seconds = elapsedNs / 1_000_000_000
        let restNs = elapsedNs % 1_000_000_000
        return Int(seconds) * ratePerSecond + Int(restNs * UInt64(ratePerSecond) / 1_000_000_000)
    }

    /// How many events to send now, having sent `sent`.
    func burst(sent: Int, nowNs: UInt64) -> Int {
        let due = due(atNs: nowNs)
        return due > sent ? min(due - sent, Self.burstMax) : 0
    }

    /// How long to sleep when nothing is due, having sent `sent`.
    func sleepNs(sent: Int, nowNs: UInt64) -> UInt64 {
        guard ratePerSecond > 0 else { return 0 }
        // The first instant at which `sent + 1` events are due.
        let next = UInt64(sent + 1)
        let rate = UInt64(ratePerSecond)
        let dueNs = startNs + next / rate * 1_000_000_000 + (next % rate * 1_000_000_000 + rate - 1) / rate
        let waitNs = dueNs > nowNs ? dueNs - nowNs : 0
        return min(max(waitNs, Self.sleepMinNs), Self.sleepMaxNs)
    }
}
