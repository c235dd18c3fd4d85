@testable import Query

/// One window's truth, from plain counting.
struct WindowTruth {
    var pv = 0
    var users: Set<String> = []
    var ips: Set<String> = []
    var urlCounts: [String: Int] = [:]
}

/// A dead letter as the reference predicts it.
struct ExpectedDeadLetter: Hashable, Comparable {
    var partition: Int
    var offset: Int
    var tag: String
    /// For a late row: its event time and the watermark its batch ran with.
    var lateAt: [Int64]

    static func < (a: Self, b: Self) -> Bool { (a.partition, a.offset) < (b.partition, b.offset) }
}

/// The expected outcome of a windowed `count(*) ... WHERE status < 500 GROUP BY window(ts, size)`
/// job with a 5-second watermark over a `ClickstreamInput`, computed from the generator's ground
/// truth with plain loops, sets and dictionaries, and the rules of the issue restated here rather
/// than borrowed from Spate:
/// - a line whose defect breaks a column the job decodes is a dead letter with the defect's reason;
/// - the watermark starts unset, and after each batch becomes max(watermark, largest event time
///   of the batch's decoded rows − delay); a batch runs with the watermark of the batches before it;
/// - a decoded row whose event time is strictly below its batch's watermark is late: a dead letter
///   `late`, not counted (checked before the WHERE filter);
/// - an idle trigger runs a no-data batch when the watermark moved past the last batch's;
/// - a window is emitted once, by the first batch whose watermark reaches its end.
struct ClickstreamReference {
    var batches: [BatchMark] = []
    var windows: [Int64: WindowTruth] = [:]
    var deadLetters: [ExpectedDeadLetter] = []
    let windowMs: Int64

    static let delayMs: Int64 = 5_000

    init(_ input: ClickstreamInput, windowMs: Int64, decodedColumns: Set<String>) {
        self.windowMs = windowMs
        var watermarkMs: Int64?
        var lastBatchWatermarkMs: Int64?
        for step in input.steps {
            var batchMaxMs: Int64?
            switch step {
            case .data(let ranges):
                for (partition, range) in ranges.enumerated() {
                    for offset in range {
                        let truth = input.truths[partition][offset]
                        if let tag = truth.defect?.deadLetterTag(decodedColumns: decodedColumns, tsIsEventTime: true) {
                            deadLetters.append(.init(partition: partition, offset: offset, tag: tag, lateAt: []))
                            continue
                        }
                        let click = truth.click
                        batchMaxMs = max(batchMaxMs ?? click.tsMs, click.tsMs)
                        if let watermarkMs, click.tsMs < watermarkMs {
                            deadLetters.append(
                                .init(
                                    partition: partition, offset: offset, tag: "late",
                                    lateAt: [click.tsMs, watermarkMs]))
                            continue
                        }
                        guard click.status < 500 else { continue }
                        let start = click.tsMs - ((click.tsMs % windowMs) + windowMs) % windowMs
                        windows[start, default: WindowTruth()].pv += 1
                        windows[start]!.users.insert(click.userId)
                        windows[start]!.ips.insert(click.ip)
                        windows[start]!.urlCounts[click.url, default: 0] += 1
                    }
                }
            case .idle:
                guard let current = watermarkMs, lastBatchWatermarkMs.map({ current > $0 }) ?? true else { continue }
            }
            batches.append(BatchMark(watermarkMs: watermarkMs, noData: step == .idle))
            lastBatchWatermarkMs = watermarkMs
            if let batchMaxMs {
                watermarkMs = max(watermarkMs ?? Int64.min, batchMaxMs - Self.delayMs)
            }
        }
        deadLetters.sort()
    }

    /// The batch that must emit the window starting at `start`: the first whose watermark reaches
    /// its end; nil if none does (the window stays in state).
    func emittingBatch(ofWindowAt start: Int64) -> Int? {
        batches.firstIndex { mark in mark.watermarkMs.map { $0 >= start + windowMs } ?? false }
    }

    /// The ten most counted URLs of a window, most counted first, ties in ascending byte order.
    static func topTen(_ counts: [String: Int]) -> [(url: String, count: Int)] {
        let ranked = counts.sorted { a, b in
            a.value != b.value ? a.value > b.value : Array(a.key.utf8).lexicographicallyPrecedes(Array(b.key.utf8))
        }
        return ranked.prefix(10).map { ($0.key, $0.value) }
    }
}
