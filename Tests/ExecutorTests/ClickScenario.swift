import Query
import Testing

/// One aggregated window as the pv_uv job writes it.
struct WindowRow: Hashable, Comparable, CustomStringConvertible {
    let start: Int64
    let end: Int64
    let pv: Int64
    let uv: Int64
    let ips: Int64

    static func < (a: WindowRow, b: WindowRow) -> Bool { a.start < b.start }

    var description: String { "[\(start), \(end)) pv=\(pv) uv=\(uv) ips=\(ips)" }

    /// The rows of a reduce report, read column by column.
    static func rows(of batch: RecordBatch) throws -> [WindowRow] {
        try batch.rows.map { values in
            guard values.count == 5, case .timestamp(let start) = values[0], case .timestamp(let end) = values[1],
                case .int64(let pv) = values[2], case .int64(let uv) = values[3], case .int64(let ips) = values[4]
            else { throw TestFailure("unexpected pv_uv row \(values)") }
            return WindowRow(start: start, end: end, pv: pv, uv: uv, ips: ips)
        }
    }

    /// pv, distinct users and distinct IPs per 10-second window of `clicks` with status < 500,
    /// computed with plain loops and sets.
    static func expected(_ clicks: [Click]) -> [WindowRow] {
        var pv: [Int64: Int64] = [:]
        var users: [Int64: Set<String>] = [:]
        var ips: [Int64: Set<String>] = [:]
        for click in clicks where click.status < 500 {
            let start = click.tsMs - ((click.tsMs % 10_000) + 10_000) % 10_000
            pv[start, default: 0] += 1
            users[start, default: []].insert(click.userId)
            ips[start, default: []].insert(click.ip)
        }
        return pv.keys.sorted().map { start in
            WindowRow(
                start: start, end: start + 10_000, pv: pv[start]!, uv: Int64(users[start]!.count),
                ips: Int64(ips[start]!.count))
        }
    }
}

/// Generated clicks spread round-robin over the partitions of `website-logs`, with each one's
/// ground truth at its (partition, offset).
struct ClickData {
    let partitions: Int32
    /// truths[p][offset]
    let truths: [[ClickTruth]]
    let values: [[UInt8]]
    let partitionOfValue: [Int32]

    init(count: Int, partitions: Int32 = 3, seed: UInt64, maxLagMs: Int64 = 3_000, malformedShare: Double = 0.02) {
        var options = ClickGenerator.Options()
        options.eventsPerSecond = 100
        options.maxLagMs = maxLagMs
        options.malformedShare = malformedShare
        var generator = ClickGenerator(seed: seed, options: options)
        var truths = [[ClickTruth]](repeating: [], count: Int(partitions))
        var values: [[UInt8]] = []
        var partitionOfValue: [Int32] = []
        for index in 0..<count {
            let click = generator.next()
            let partition = Int32(index % Int(partitions))
            truths[Int(partition)].append(click.truth)
            values.append(click.value)
            partitionOfValue.append(partition)
        }
        self.partitions = partitions
        self.truths = truths
        self.values = values
        self.partitionOfValue = partitionOfValue
    }

    /// The produced bytes of the record at `position`.
    func value(at position: Position) -> [UInt8] {
        values[Int(position.offset) * Int(partitions) + Int(position.partition)]
    }

    /// Records per partition.
    func end(_ partition: Int32) -> Int64 { Int64(truths[Int(partition)].count) }

    /// The well-formed clicks in `ranges` (by partition) that are not below `watermarkMs`.
    func counted(_ ranges: [Int32: Range<Int64>], watermarkMs: Int64?) -> [Click] {
        wellFormed(ranges).filter { watermarkMs == nil || $0.click.tsMs >= watermarkMs! }.map(\.click)
    }

    /// (partition, offset, truth) of the well-formed clicks in `ranges`.
    func wellFormed(_ ranges: [Int32: Range<Int64>]) -> [(partition: Int32, offset: Int64, click: Click)] {
        ranges.sorted { $0.key < $1.key }.flatMap { partition, range in
            range.compactMap { offset -> (Int32, Int64, Click)? in
                let truth = truths[Int(partition)][Int(offset)]
                return truth.defect == nil ? (partition, offset, truth.click) : nil
            }
        }
    }

    /// (partition, offset) of the malformed lines in `ranges`.
    func malformed(_ ranges: [Int32: Range<Int64>]) -> [Position] {
        ranges.sorted { $0.key < $1.key }.flatMap { partition, range in
            range.filter { truths[Int(partition)][Int($0)].defect != nil }.map { Position(partition, $0) }
        }
    }

    /// (partition, offset) of the well-formed rows in `ranges` whose event time is below `watermarkMs`.
    func late(_ ranges: [Int32: Range<Int64>], watermarkMs: Int64?) -> [Position] {
        guard let watermarkMs else { return [] }
        return wellFormed(ranges).filter { $0.click.tsMs < watermarkMs }.map { Position($0.partition, $0.offset) }
    }
}

/// A record's place in the topic.
struct Position: Hashable, Comparable, CustomStringConvertible {
    let partition: Int32
    let offset: Int64
    init(_ partition: Int32, _ offset: Int64) {
        self.partition = partition
        self.offset = offset
    }
    static func < (a: Position, b: Position) -> Bool { (a.partition, a.offset) < (b.partition, b.offset) }
    var description: String { "\(partition)@\(offset)" }
}

/// What one micro-batch produced.
struct BatchResults {
    var mapReports: [Int32: MapTaskReport] = [:]
    var mapOutputs: [ShuffleBlockSource] = []
    var reduceReports: [Int32: ReduceTaskReport] = [:]

    var rows: [WindowRow] {
        get throws { try reduceReports.values.flatMap { try WindowRow.rows(of: $0.rows) } }
    }

    var deadLetters: [DeadLetter] { mapReports.values.flatMap(\.deadLetters) }

    var maxEventTimeMs: Int64? { mapReports.values.compactMap(\.maxEventTimeMs).max() }
}

/// Runs micro-batches of the pv_uv job through a `FakeDriver`, as the real driver would.
struct BatchRunner {
    let driver: FakeDriver
    let factory: TaskFactory
    let shufflePartitions: Int32

    init(driver: FakeDriver, factory: TaskFactory = TaskFactory()) throws {
        self.driver = driver
        self.factory = factory
        shufflePartitions = Int32(try QueryCompiler.compile(factory.sql).shufflePartitions)
    }

    /// Map tasks over `ranges`, each on `mapOn(partition)`, all at once.
    func map(batch: Int64, ranges: [Int32: Range<Int64>], watermarkMs: Int64?, mapOn: (Int32) -> String)
        async throws -> BatchResults
    {
        var results = BatchResults()
        try await withThrowingTaskGroup(of: (Int32, UInt64, String, TaskOutcome).self) { group in
            for (partition, range) in ranges {
                let task = factory.map(
                    batch: batch, partition: partition, start: range.lowerBound, end: range.upperBound,
                    watermarkMs: watermarkMs)
                let executor = mapOn(partition)
                group.addTask {
                    (partition, task.attemptId, executor, try await driver.launch(task, on: executor).outcome)
                }
            }
            for try await (partition, attemptId, executor, outcome) in group {
                results.mapReports[partition] = try outcome.mapReport()
                guard let registration = driver.registration(of: executor) else { throw TestFailure("no \(executor)") }
                results.mapOutputs.append(
                    ShuffleBlockSource(
                        mapPartition: partition, mapAttemptId: attemptId, executorId: executor,
                        host: registration.shuffleHost, port: registration.shufflePort))
            }
        }
        return results
    }

    /// Reduce tasks for every state partition, each on `reduceOn(partition)`; their state versions
    /// are persisted in the fake driver as a commit would.
    func reduce(
        _ results: inout BatchResults, batch: Int64, stateVersion: Int64?, watermarkMs: Int64?,
        snapshotWanted: Bool = false, reduceOn: (Int32) -> String
    ) async throws {
        let outputs = results.mapOutputs
        let reports = try await withThrowingTaskGroup(of: (Int32, ReduceTaskReport).self) { group in
            for partition in 0..<shufflePartitions {
                let task = factory.reduce(
                    batch: batch, partition: partition, outputs: outputs, stateVersion: stateVersion,
                    watermarkMs: watermarkMs, snapshotWanted: snapshotWanted)
                let executor = reduceOn(partition)
                group.addTask { (partition, try await driver.launch(task, on: executor).outcome.reduceReport()) }
            }
            var reports: [Int32: ReduceTaskReport] = [:]
            for try await (partition, report) in group { reports[partition] = report }
            return reports
        }
        for (partition, report) in reports {
            driver.persist(report, jobId: factory.jobId, partition: partition, batchId: batch)
        }
        results.reduceReports = reports
    }
}
