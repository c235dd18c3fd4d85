/// When to send how many events, so a stream holds its rate on average without a sleep per event:
/// events due by time t are `rate × (t − start)`; once at least a tick's worth (`tickNs`) is owed,
/// they all go out in one burst, and otherwise the sender sleeps until that much is due (at most
/// `sleepMaxNs`, so a stop request is seen soon). Pure: the caller reads the clock.
struct ClickPacer: Sendable {
    /// Events per second; 0 means no pacing (every call says a full burst is due).
    let ratePerSecond: Int
    let startNs: UInt64
    /// Bursts go out about this far apart: waking more often costs more than it smooths.
    static let tickNs: UInt64 = 2_000_000
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
        guard nowNs > startNs else { return 0 }
        // Whole seconds and the rest separately, so a long run at a high rate cannot overflow.
        let elapsedNs = nowNs - startNs
        let seconds = elapsedNs / 1_000_000_000
        let restNs = elapsedNs % 1_000_000_000
        return Int(seconds) * ratePerSecond + Int(restNs * UInt64(ratePerSecond) / 1_000_000_000)
    }

    /// The smallest burst worth waking for: a tick's worth of events, at least one.
    var burstMin: Int { max(1, Int(UInt64(ratePerSecond) * Self.tickNs / 1_000_000_000)) }

    /// How many events to send now, having sent `sent`: none until a burst's worth is owed.
    func burst(sent: Int, nowNs: UInt64) -> Int {
        let owed = due(atNs: nowNs) - sent
        return owed >= burstMin ? min(owed, Self.burstMax) : 0
    }

    /// How long to sleep when no burst is due, having sent `sent`: until one is.
    func sleepNs(sent: Int, nowNs: UInt64) -> UInt64 {
        guard ratePerSecond > 0 else { return 0 }
        // The first instant at which `sent + burstMin` events are due.
        let target = UInt64(sent + burstMin)
        let rate = UInt64(ratePerSecond)
        let dueNs = startNs + target / rate * 1_000_000_000 + (target % rate * 1_000_000_000 + rate - 1) / rate
        let waitNs = dueNs > nowNs ? dueNs - nowNs : 0
        return min(max(waitNs, 50_000), Self.sleepMaxNs)
    }
}
