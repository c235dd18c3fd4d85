/// Deterministic click events for the pv_uv example (`ClickGenerator.schema`): JSON objects of
/// about 200 bytes with Zipf-skewed URLs and users, users that mostly keep one IP, event times
/// that trail a clock by up to `maxLagMs` (so out of order, but never behind a watermark of
/// `maxLagMs` or more), mostly status 200, and a small share of malformed lines. Every event
/// comes with its ground truth. The same seed and options yield the same bytes on every machine.
public struct ClickGenerator: Sendable {
    /// What to generate.
    public struct Options: Sendable {
        /// The clock's start, epoch ms (default 2026-11-30T03:17:30Z).
        public var startMs: Int64 = 1_796_008_650_000
        /// How fast `next()` advances the clock.
        public var eventsPerSecond = 10_000
        /// Event times trail the clock by 0...maxLagMs (keep it below the stream's watermark delay).
        public var maxLagMs: Int64 = 3_000
        /// Share of malformed lines, spread evenly over `ClickDefect`'s kinds.
        public var malformedShare = 0.005
        /// Share of events whose `ts` is an ISO-8601 string rather than epoch milliseconds.
        public var isoTimestampShare = 0.25
        /// Distinct users.
        public var userCount = 20_000
        /// Distinct URLs.
        public var urlCount = 2_000

        /// The defaults above.
        public init() {}
    }

    let options: Options
    var random: GeneratorRandom
    var clockNs: Int64
    let stepNs: Int64
    let users: ZipfSampler
    let urls: ZipfSampler
    let userIds: [String]
    let homeIPs: [String]
    let urlEntries: [CatalogEntry]

    /// A generator; the same seed and options always yield the same events.
    public init(seed: UInt64, options: Options = Options()) {
        precondition(options.eventsPerSecond > 0 && options.userCount > 0 && options.urlCount > 0)
        precondition(options.maxLagMs >= 0, "maxLagMs must not be negative")
        self.options = options
        random = GeneratorRandom(seed: seed)
        clockNs = options.startMs * 1_000_000
        stepNs = max(1, 1_000_000_000 / Int64(options.eventsPerSecond))
        users = ZipfSampler(count: options.userCount, exponent: 0.8)
        urls = ZipfSampler(count: options.urlCount, exponent: 1.0)
        userIds = (0..<options.userCount).map(ClickCatalog.userId)
        homeIPs = (0..<options.userCount).map { ClickCatalog.ip(GeneratorRandom.hash(seed ^ UInt64($0) << 20)) }
        urlEntries = (0..<options.urlCount).map(ClickCatalog.url)
    }

    /// The generator's clock, epoch ms.
    public var nowMs: Int64 { clockNs / 1_000_000 }

    /// No event is longer: every piece of one comes from bounded catalogs.
    static let eventBytesMax = 1024

    /// The next event, advancing the clock by one event at `eventsPerSecond`.
    public mutating func next() -> GeneratedClick {
        var value: [UInt8] = []
        value.reserveCapacity(256)
        let truth = append(to: &value)
        return GeneratedClick(value: value, truth: truth)
    }

    /// Appends the next event's bytes to `buffer`, advancing the clock by one event.
    public mutating func append(to buffer: inout [UInt8]) -> ClickTruth {
        clockNs += stepNs
        return append(to: &buffer, nowMs: nowMs)
    }

    /// Appends an event whose time trails `nowMs` (a caller's clock, e.g. the wall clock) to `buffer`.
    public mutating func append(to buffer: inout [UInt8], nowMs: Int64) -> ClickTruth {
        let (click, shape) = drawClick(nowMs: nowMs)
        let defect =
            random.unit() < options.malformedShare
            ? ClickDefect.allCases[random.below(ClickDefect.allCases.count)] : nil
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.eventBytesMax) { scratch in
            var writer = EventWriter(scratch)
            encode(click, shape: shape, defect: defect, to: &writer)
            var count = writer.count
            if defect == .truncated { count = truncatedLength(scratch, count) }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<count]))
        }
        return ClickTruth(click: click, defect: defect)
    }

    /// `count` events as source records of one partition, with their truths.
    public mutating func records(count: Int, partition: Int32 = 0, firstOffset: Int64 = 0)
        -> (records: SourceRecords, truths: [ClickTruth])
    {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(count * 220)
        var starts: [Int] = []
        var lengths: [Int32] = []
        var truths: [ClickTruth] = []
        starts.reserveCapacity(count)
        lengths.reserveCapacity(count)
        truths.reserveCapacity(count)
        for _ in 0..<count {
            let start = buffer.count
            truths.append(append(to: &buffer))
            starts.append(start)
            lengths.append(Int32(buffer.count - start))
        }
        let offsets = (0..<Int64(count)).map { firstOffset + $0 }
        let timestamps = truths.map(\.click.tsMs)
        let records = SourceRecords(
            partition: partition, buffer: buffer, valueStarts: starts, valueLengths: lengths, offsets: offsets,
            timestampsMs: timestamps)
        return (records, truths)
    }

    /// Draws what the event says and how it is written.
    mutating func drawClick(nowMs: Int64) -> (Click, ClickShape) {
        let lagMs =
            random.unit() < 0.7
            ? Int64(random.below(Int(min(options.maxLagMs, 50)) + 1))
            : Int64(random.below(Int(options.maxLagMs) + 1))
        let user = users.rank(random.next())
        let ip = random.unit() < 0.95 ? homeIPs[user] : ClickCatalog.ip(random.next())
        let urlRank = urls.rank(random.next())
        let referrer = random.unit() < 0.35 ? nil : random.below(ClickCatalog.referrers.count)
        let agent = min(random.below(16), ClickCatalog.userAgents.count - 1)
        let (status, bytes) = drawStatusAndBytes()
        let shape = ClickShape(
            urlRank: urlRank, referrer: referrer, agent: agent, timestamp: drawTimestampForm(),
            statusAsString: random.unit() < 0.01)
        let click = Click(
            tsMs: nowMs - lagMs, ip: ip, userId: userIds[user], url: urlEntries[urlRank].text,
            referrer: referrer.map { ClickCatalog.referrers[$0].text }, userAgent: ClickCatalog.userAgents[agent].text,
            status: status, bytes: bytes)
        return (click, shape)
    }

    /// Epoch ms mostly; ISO-8601 in UTC, with an offset, or with a space for the rest.
    mutating func drawTimestampForm() -> ClickShape.TimestampForm {
        guard random.unit() < options.isoTimestampShare else { return .epochMs }
        switch random.below(10) {
        case 0..<6: return .isoUTC
        case 6..<9: return .isoOffset(minutes: [60, -420, 330, 540][random.below(4)])
        default: return .isoSpace
        }
    }

    /// Status mostly 200, some redirects, client errors and a few server errors; sizes to match.
    mutating func drawStatusAndBytes() -> (Int64, Int64) {
        let draw = random.unit()
        switch draw {
        case ..<0.88:
            let heavy = random.unit() < 0.05
            return (200, Int64(200 + random.below(heavy ? 2_000_000 : 30_000)))
        case ..<0.91: return (304, 0)
        case ..<0.93: return (random.unit() < 0.5 ? 301 : 302, Int64(random.below(300)))
        case ..<0.96: return (404, Int64(100 + random.below(1_400)))
        case ..<0.97: return (403, Int64(100 + random.below(1_400)))
        case ..<0.98: return (400, Int64(100 + random.below(1_400)))
        default: return ([500, 502, 503][random.below(3)], Int64(100 + random.below(1_400)))
        }
    }
}
