@testable import Query

/// One step of a simulated stream: a micro-batch that reads these offset ranges (one per source
/// partition, possibly empty), or a trigger that finds no new data (a no-data batch may then run).
enum ClickstreamStep: Equatable {
    case data([Range<Int>])
    case idle
}

/// A generated click stream split into source partitions the way `spate gen clicks` splits it (by
/// user id, so one user's clicks stay in order in one partition), with a seeded schedule of
/// micro-batches: uneven sizes, a partition that sometimes lags behind the others (so rows arrive
/// behind the watermark), idle triggers, and at the end one far-future event alone in its batch,
/// whose watermark closes every window the stream opened before it.
struct ClickstreamInput {
    let seed: UInt64
    /// Record values per partition, by offset.
    var values: [[[UInt8]]]
    /// Ground truth per partition, by offset.
    var truths: [[ClickTruth]]
    var steps: [ClickstreamStep] = []

    var partitionCount: Int { values.count }

    /// `events` clicks from `ClickGenerator(seed:)` at 100 events/s (so 50,000 span about 80 minutes
    /// of event time: many 10-second and 1-minute windows), 1% malformed, event times trailing the
    /// clock by up to `maxLagMs`.
    init(seed: UInt64, events: Int, partitions: Int, maxLagMs: Int64) {
        self.seed = seed
        var options = ClickGenerator.Options()
        options.eventsPerSecond = 100
        options.maxLagMs = maxLagMs
        options.malformedShare = 0.01
        var generator = ClickGenerator(seed: seed, options: options)
        values = Array(repeating: [], count: partitions)
        truths = Array(repeating: [], count: partitions)
        var order: [Int] = []
        for _ in 0..<events {
            let click = generator.next()
            let partition = Self.partition(of: click.truth.click.userId, count: partitions)
            values[partition].append(click.value)
            truths[partition].append(click.truth)
            order.append(partition)
        }
        var random = SeededRandom(seed: seed &* 0x2545_F491_4F6C_DD1D)
        steps = Self.schedule(order, partitions: partitions, random: &random)
        appendClosingEvent()
    }

    /// FNV-1a of the user id: any stable hash keeps a user's clicks in one partition.
    static func partition(of userId: String, count: Int) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in userId.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int(hash % UInt64(count))
    }

    /// Batches over the stream in arrival order: each takes the next 50...1,500 events, except that a
    /// lagging partition (15% of the time) delivers only part of its share, catching up later.
    static func schedule(_ order: [Int], partitions: Int, random: inout SeededRandom) -> [ClickstreamStep] {
        var steps: [ClickstreamStep] = []
        var read = [Int](repeating: 0, count: partitions)
        var arrived = [Int](repeating: 0, count: partitions)
        var position = 0
        while position < order.count {
            let end = min(order.count, position + Int.random(in: 50...1_500, using: &random))
            for index in position..<end { arrived[order[index]] += 1 }
            position = end
            var ranges: [Range<Int>] = []
            for partition in 0..<partitions {
                let lagging = position < order.count && Double.random(in: 0..<1, using: &random) < 0.15
                let available = arrived[partition] - read[partition]
                let taken = lagging ? Int.random(in: 0...available, using: &random) : available
                ranges.append(read[partition]..<read[partition] + taken)
                read[partition] += taken
            }
            if ranges.contains(where: { !$0.isEmpty }) { steps.append(.data(ranges)) }
            if Double.random(in: 0..<1, using: &random) < 0.3 { steps.append(.idle) }
        }
        precondition(read == arrived, "the schedule reads every event")
        return steps
    }

    /// One well-formed event after the stream, alone in the last data batch, then an idle trigger.
    /// Its time is 5 s past the end of the minute holding the stream's last event, so the watermark
    /// it brings lands exactly on that minute's end (and on a 10-second window's end): the last
    /// windows close only if a window closes when the watermark *reaches* its end.
    mutating func appendClosingEvent() {
        let lastMs = truths.joined().map(\.click.tsMs).max() ?? 0
        let click = Click(
            tsMs: (lastMs / 60_000 + 1) * 60_000 + 5_000, ip: "192.0.2.1", userId: "u999999", url: "/closing",
            referrer: nil, userAgent: "curl/8.5.0", status: 200, bytes: 1)
        let value = """
            {"ts":\(click.tsMs),"ip":"\(click.ip)","user_id":"\(click.userId)","url":"\(click.url)",\
            "referrer":null,"user_agent":"\(click.userAgent)","status":200,"bytes":1}
            """
        let partition = Self.partition(of: click.userId, count: partitionCount)
        var ranges = (0..<partitionCount).map { values[$0].count..<values[$0].count }
        ranges[partition] = values[partition].count..<values[partition].count + 1
        values[partition].append(Array(value.utf8))
        truths[partition].append(ClickTruth(click: click, defect: nil))
        steps += [.data(ranges), .idle]
    }

    /// The records of `range` in `partition`, as a source partition range.
    func records(_ partition: Int, _ range: Range<Int>) -> SourceRecords {
        SourceRecords(
            partition: Int32(partition), firstOffset: Int64(range.lowerBound),
            values: values[partition][range].map { $0 })
    }
}
