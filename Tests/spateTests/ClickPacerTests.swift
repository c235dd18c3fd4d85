import Testing

@testable import spate

@Suite struct ClickPacerTests {
    @Test func dueFollowsTheRate() {
        let pacer = ClickPacer(ratePerSecond: 1_000, startNs: 5_000_000_000)
        #expect(pacer.due(atNs: 4_000_000_000) == 0)
        #expect(pacer.due(atNs: 5_000_000_000) == 0)
        #expect(pacer.due(atNs: 5_000_999_999) == 0)
        #expect(pacer.due(atNs: 5_001_000_000) == 1)
        #expect(pacer.due(atNs: 6_500_000_000) == 1_500)
        #expect(pacer.burst(sent: 1_400, nowNs: 6_500_000_000) == 100)
        #expect(pacer.burst(sent: 1_600, nowNs: 6_500_000_000) == 0)
        // One event owed is less than a tick's worth (two at 1,000/s): wait for the next.
        #expect(pacer.burstMin == 2)
        #expect(pacer.burst(sent: 1_499, nowNs: 6_500_000_000) == 0)
    }

    @Test func burstsAreCappedAndSleepsBounded() {
        let pacer = ClickPacer(ratePerSecond: 1_000_000, startNs: 0)
        #expect(pacer.burst(sent: 0, nowNs: 1_000_000_000) == ClickPacer.burstMax)
        // The next event is 1 µs away, but the sender waits for a tick's worth (2 ms) to send in one go.
        #expect(pacer.burstMin == 2_000)
        #expect(pacer.sleepNs(sent: 0, nowNs: 0) == ClickPacer.tickNs)
        let slow = ClickPacer(ratePerSecond: 1, startNs: 0)
        #expect(slow.sleepNs(sent: 1, nowNs: 1_000_000_000) == ClickPacer.sleepMaxNs)
        let medium = ClickPacer(ratePerSecond: 100, startNs: 0)
        #expect(medium.sleepNs(sent: 5, nowNs: 10_000_000) == 50_000_000)
    }

    @Test func unpacedAlwaysHasAFullBurst() {
        let pacer = ClickPacer(ratePerSecond: 0, startNs: 7)
        #expect(pacer.burst(sent: 123_456_789, nowNs: 7) == ClickPacer.burstMax)
        #expect(pacer.sleepNs(sent: 0, nowNs: 7) == 0)
    }

    @Test func longRunsAtHighRatesDoNotOverflow() {
        let pacer = ClickPacer(ratePerSecond: ClickStreamOptions.rateMax, startNs: 1)
        let tenDaysNs: UInt64 = 10 * 86_400 * 1_000_000_000
        #expect(pacer.due(atNs: 1 + tenDaysNs) == 10 * 86_400 * ClickStreamOptions.rateMax)
    }

    /// Following the pacer with a simulated clock sends in small bursts a few ms apart and holds the
    /// rate: after two simulated seconds at 20,000/s, 40,000 events went out.
    @Test func simulatedSenderHoldsTheRateInSmallBursts() {
        let pacer = ClickPacer(ratePerSecond: 20_000, startNs: 0)
        var nowNs: UInt64 = 0
        var sent = 0
        var bursts: [Int] = []
        while nowNs < 2_000_000_000 {
            let burst = pacer.burst(sent: sent, nowNs: nowNs)
            if burst > 0 {
                sent += burst
                bursts.append(burst)
                nowNs += 300_000  // sending takes a little time
            } else {
                nowNs += pacer.sleepNs(sent: sent, nowNs: nowNs)
            }
        }
        #expect(sent <= 40_000 && sent > 40_000 - 2 * pacer.burstMin, "\(sent) sent")
        #expect(bursts.max()! <= 50, "bursts of about 2 ms of events, not \(bursts.max()!)")
        #expect(bursts.count > 900 && bursts.count <= 1_000, "\(bursts.count) bursts")
    }
}
