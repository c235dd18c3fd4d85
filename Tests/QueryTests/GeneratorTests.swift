import Testing

@testable import Query

@Suite struct GeneratorTests {
    @Test func sameSeedSameStream() {
        var first = ClickGenerator(seed: 42)
        var second = ClickGenerator(seed: 42)
        var other = ClickGenerator(seed: 43)
        let a = (0..<500).map { _ in first.next() }
        let b = (0..<500).map { _ in second.next() }
        let c = (0..<500).map { _ in other.next() }
        #expect(a.map(\.value) == b.map(\.value))
        #expect(a.map(\.truth) == b.map(\.truth))
        #expect(a.map(\.value) != c.map(\.value))
        var bulk = ClickGenerator(seed: 42)
        let (records, truths) = bulk.records(count: 500, partition: 1, firstOffset: 7)
        #expect((0..<500).map { records.value(at: $0)! } == a.map(\.value))
        #expect(truths == a.map(\.truth))
        #expect(records.offsets.first == 7 && records.partition == 1)
    }

    /// The decoder's rows are exactly the truths of the well-formed events, field by field, and
    /// its dead letters are exactly the malformed lines, with the reasons their defects predict.
    @Test func groundTruthMatchesWhatTheDecoderMakesOfIt() throws {
        var options = ClickGenerator.Options()
        options.malformedShare = 0.02
        var generator = ClickGenerator(seed: 7, options: options)
        let (records, truths) = generator.records(count: 20_000, partition: 2, firstOffset: 1_000)
        let decoder = RecordDecoder(source: ClickGenerator.sourceSpec(), decodedColumns: Array(0..<8))
        let decoded = decoder.decode(records)
        let everyColumn = Set(ClickGenerator.schema.names)
        let expectedDead = truths.indices.filter {
            truths[$0].defect?.deadLetterTag(decodedColumns: everyColumn, tsIsEventTime: true) != nil
        }
        #expect(decoded.deadLetters.map(\.offset) == expectedDead.map { Int64(1_000 + $0) })
        #expect(
            decoded.deadLetters.map(\.reason.tag)
                == expectedDead.map {
                    truths[$0].defect!.deadLetterTag(decodedColumns: everyColumn, tsIsEventTime: true)!
                })
        #expect(decoded.deadLetters.allSatisfy { $0.raw == records.value(at: Int($0.offset) - 1_000) })
        #expect(decoded.recordIndexes == truths.indices.filter { truths[$0].defect == nil })
        for (row, index) in zip(decoded.batch.rows, decoded.recordIndexes) {
            let click = truths[index].click
            let expected: [Value] = [
                .timestamp(click.tsMs), .string(click.ip), .string(click.userId), .string(click.url),
                click.referrer.map { .string($0) } ?? .null, .string(click.userAgent), .int64(click.status),
                .int64(click.bytes),
            ]
            if row != expected { Issue.record("seed 7, record \(index): \(row) != \(expected)") }
        }
    }

    /// With fewer columns decoded and no event time, defects in fields the job does not read are
    /// not dead letters, as `deadLetterTag` says.
    @Test func deadLetterTagsDependOnTheColumnsDecoded() {
        var options = ClickGenerator.Options()
        options.malformedShare = 0.2
        var generator = ClickGenerator(seed: 9, options: options)
        let (records, truths) = generator.records(count: 3_000)
        var spec = ClickGenerator.sourceSpec()
        spec.eventTimeColumn = nil
        for columns in [[1], [0, 1], [1, 6]] {
            let names = Set(columns.map { ClickGenerator.schema.fields[$0].name })
            let decoded = RecordDecoder(source: spec, decodedColumns: columns).decode(records)
            let expected = truths.compactMap { $0.defect?.deadLetterTag(decodedColumns: names, tsIsEventTime: false) }
            #expect(decoded.deadLetters.map(\.reason.tag) == expected, "\(names)")
        }
    }

    @Test func streamLooksLikeClicks() {
        var generator = ClickGenerator(seed: 11)
        let (records, truths) = generator.records(count: 40_000)
        let clicks = truths.map(\.click)
        let bytes = records.valueLengths.reduce(0) { $0 + Int($1) }
        #expect((170...230).contains(bytes / truths.count), "about 200 bytes per event, got \(bytes / truths.count)")
        let malformed = truths.filter { $0.defect != nil }
        #expect((100...300).contains(malformed.count), "about 0.5% malformed, got \(malformed.count)")
        #expect(Set(malformed.compactMap(\.defect)) == Set(ClickDefect.allCases))
        let ok = clicks.filter { $0.status == 200 }.count
        #expect((0.85...0.91).contains(Double(ok) / Double(clicks.count)))
        #expect(clicks.contains { $0.status >= 500 } && clicks.contains { (300..<400).contains($0.status) })
        #expect(clicks.contains { $0.status == 404 })
        // Zipf-like: the most popular URL and the top 1% of users draw far more than their share.
        var urlCounts: [String: Int] = [:]
        var userCounts: [String: Int] = [:]
        for click in clicks {
            urlCounts[click.url, default: 0] += 1
            userCounts[click.userId, default: 0] += 1
        }
        #expect(urlCounts.values.max() == urlCounts["/"])
        #expect(Double(urlCounts["/"]!) / Double(clicks.count) > 0.08)
        let topUsers = userCounts.values.sorted(by: >).prefix(200).reduce(0, +)
        #expect(Double(topUsers) / Double(clicks.count) > 0.1)
        // Users mostly keep one IP.
        var ipsByUser: [String: [String: Int]] = [:]
        for click in clicks { ipsByUser[click.userId, default: [:]][click.ip, default: 0] += 1 }
        let onHomeIP = ipsByUser.values.reduce(0) { $0 + ($1.values.max() ?? 0) }
        #expect(Double(onHomeIP) / Double(clicks.count) > 0.9)
        #expect(clicks.contains { $0.referrer == nil } && clicks.contains { $0.referrer != nil })
    }

    /// Event times trail the clock by at most `maxLagMs` and arrive out of order, but with a
    /// watermark of 5 s (max event time seen minus 5 s, advanced every batch) none is ever late.
    @Test func eventTimesTrailTheClockWithinTheLag() {
        var generator = ClickGenerator(seed: 5)
        var watermarkMs = Int64.min
        var maxSeenMs = Int64.min
        var outOfOrder = 0
        var previousMs = Int64.min
        for batch in 0..<20 {
            for _ in 0..<1_000 {
                let click = generator.next().truth.click
                let nowMs = generator.nowMs
                #expect(click.tsMs <= nowMs && click.tsMs >= nowMs - 3_000)
                #expect(click.tsMs >= watermarkMs, "late in batch \(batch)")
                if click.tsMs < previousMs { outOfOrder += 1 }
                previousMs = click.tsMs
                maxSeenMs = max(maxSeenMs, click.tsMs)
            }
            watermarkMs = maxSeenMs - 5_000
        }
        #expect(outOfOrder > 1_000)
        var clocked = ClickGenerator(seed: 5)
        var buffer: [UInt8] = []
        let truth = clocked.append(to: &buffer, nowMs: 1_000_000)
        #expect((997_000...1_000_000).contains(truth.click.tsMs))
    }

    @Test func malformedShareIsConfigurable() {
        var none = ClickGenerator.Options()
        none.malformedShare = 0
        var all = ClickGenerator.Options()
        all.malformedShare = 1
        var clean = ClickGenerator(seed: 3, options: none)
        var broken = ClickGenerator(seed: 3, options: all)
        #expect((0..<2_000).allSatisfy { _ in clean.next().truth.defect == nil })
        #expect((0..<2_000).allSatisfy { _ in broken.next().truth.defect != nil })
    }

    @Test func zipfSamplerFollowsItsWeights() {
        let sampler = ZipfSampler(count: 10, exponent: 1)
        var random = GeneratorRandom(seed: 1)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<200_000 { counts[sampler.rank(random.next())] += 1 }
        let harmonic = (1...10).reduce(0.0) { $0 + 1 / Double($1) }
        for rank in 0..<10 {
            let expected = 200_000 / (Double(rank + 1) * harmonic)
            #expect(abs(Double(counts[rank]) - expected) < 0.05 * expected + 100, "rank \(rank)")
        }
    }
}
