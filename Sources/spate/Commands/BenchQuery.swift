import Broker
import Driver
import Executor
import Foundation
import Query
import Synchronization
import Wire

/// `spate bench query`: generated clicks in an in-process broker, then the pv_uv job in the
/// local runner (the real driver and an in-process executor) with 1 and 2 task slots, timed from
/// the first batch's trigger to the commit of the batch that covers every event; the results are
/// checked against windows computed independently. Plus JSON decoding alone over the same bytes.
enum BenchQuery {
    struct Options: Sendable {
        var events: Int
        var threads: [Int] = [1, 2]
        /// Source partitions: one map task each, so two let two slots map at once.
        var partitions: Int32 = 2
        var recordsPerBatchMax: Int?
        var log: @Sendable (String) -> Void
    }

    static func run(_ options: Options) async throws -> BenchQueryReport {
        Posix.keepLargeAllocationsInHeap(oneArena: true)
        let directory = NSTemporaryDirectory() + "spate-bench-query-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = try await onThread { () throws in
            try KafkaBroker.start(BrokerConfig(dataDirectory: directory + "/broker", port: 0))
        }
        defer { broker.stop() }
        let address = "127.0.0.1:\(broker.port)"
        options.log("loading \(options.events) generated clicks into an in-process broker")
        let clicks = try await onThread { () throws in
            try BenchClicks.load(broker: address, events: options.events, partitions: options.partitions)
        }
        var report = BenchQueryReport(
            events: clicks.records, valueBytes: clicks.valueBytes, partitions: Int(options.partitions),
            recordsPerBatchMax: options.recordsPerBatchMax, runs: [], decode: nil)
        for threads in options.threads {
            options.log("running pv_uv with \(threads) thread(s)")
            report.runs.append(
                try await runJob(
                    clicks: clicks, broker: address, threads: threads, directory: directory + "/run-\(threads)",
                    recordsPerBatchMax: options.recordsPerBatchMax))
        }
        options.log("decoding the same clicks alone")
        report.decode = await onThread { FormatBenchmark.jsonDecode(events: options.events, seed: BenchClicks.seed) }
        return report
    }

    /// One run of the job until the batch covering every loaded record commits and the last
    /// window is in the sink.
    static func runJob(
        clicks: BenchClicks, broker: String, threads: Int, directory: String, recordsPerBatchMax: Int?
    ) async throws -> BenchQueryReport.Run {
        let tally = TaskTimeTally()
        let sinkPath = directory + "/out/pv_uv"
        var options = LocalRun.Options(
            sql: pvUvSQL(sinkPath: sinkPath, recordsPerBatchMax: recordsPerBatchMax), fileName: "pv_uv.sql",
            brokerAddress: broker, threads: threads, checkpointDirectory: directory + "/checkpoint",
            workingDirectory: directory, console: { _ in }, log: { _ in })
        options.onTaskFinished = { tally.add($0) }
        let cpuStart = ProcessCPU.seconds()
        let local = try await LocalRun.start(options)
        do {
            let progress = try await waitForRecords(local, count: Int64(clicks.records))
            let cpuSeconds = ProcessCPU.seconds() - cpuStart
            let rows = try await waitForRows(sinkPath, count: clicks.expectedRows.count)
            let deadLetters = local.snapshot?.deadLetters ?? -1
            await local.stop()
            return BenchQueryReport.Run(
                threads: threads, progress: progress, valueBytes: clicks.valueBytes, processCPUSeconds: cpuSeconds,
                tasks: tally.totals, exact: rows == clicks.expectedRows && deadLetters == Int64(clicks.malformed))
        } catch {
            await local.stop()
            throw error
        }
    }

    /// Every progress record from batch 0 to the one whose commit brings the job's input to `count`.
    static func waitForRecords(_ local: LocalRun, count: Int64) async throws -> [ProgressRecord] {
        var seen: [Int64: ProgressRecord] = [:]
        let deadline = Date().addingTimeInterval(Double(max(120, count / 20_000)))
        while Date() < deadline {
            if let snapshot = local.snapshot {
                if snapshot.state == .failed { throw BenchError("the job failed: \(snapshot.failure ?? "unknown")") }
                for record in snapshot.recentProgress { seen[record.batchId] = record }
                if snapshot.inputRows >= count { break }
            }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        var records: [ProgressRecord] = []
        var total: Int64 = 0
        for batchId in seen.keys.sorted() where total < count {
            guard let record = seen[batchId] else { continue }
            records.append(record)
            total += record.numInputRows
        }
        guard total >= count else { throw BenchError("the job read \(total) of \(count) records in time") }
        guard records.first?.batchId == 0 else { throw BenchError("missed the progress of the first batches") }
        return records
    }

    /// The sink's rows once it holds `count` (or after a minute, whatever it holds).
    static func waitForRows(_ path: String, count: Int) async throws -> [[Int64]] {
        let deadline = Date().addingTimeInterval(60)
        var rows = try PvUvSinkRows.read(path)
        while rows.count < count, Date() < deadline {
            try await Task.sleep(nanoseconds: 10_000_000)
            rows = try PvUvSinkRows.read(path)
        }
        return rows
    }

    /// examples/clickstream/pv_uv.sql (the demo's built-in copy, which a test keeps identical;
    /// the clicks are loaded into its topic) with the sink at `sinkPath`.
    static func pvUvSQL(sinkPath: String, recordsPerBatchMax: Int?) -> String {
        let cap = recordsPerBatchMax.map { ", max_records_per_batch = \($0)" } ?? ""
        return DemoSQL.builtIn
            .replacingOccurrences(of: "watermark = '5 seconds'", with: "watermark = '5 seconds'\(cap)")
            .replacingOccurrences(of: "path = 'out/pv_uv'", with: "path = '\(sinkPath)'")
    }
}

/// Where the executor's task time went, summed over the attempts of a run.
final class TaskTimeTally: Sendable {
    struct Totals: Sendable {
        var mapTasks = 0
        var reduceTasks = 0
        var readSeconds = 0.0
        var decodeSeconds = 0.0
        var mapSeconds = 0.0
        var reduceSeconds = 0.0
    }

    private let totals_ = Mutex(Totals())

    func add(_ timings: TaskTimings) {
        totals_.withLock { totals in
            let read = Double(timings.readNs) / 1e9
            let run = Double(timings.runNs) / 1e9
            totals.readSeconds += read
            if timings.label.hasPrefix("map") {
                totals.mapTasks += 1
                totals.decodeSeconds += Double(timings.decodeNs) / 1e9
                totals.mapSeconds += run
            } else {
                totals.reduceTasks += 1
                totals.reduceSeconds += run
            }
        }
    }

    var totals: Totals { totals_.withLock { $0 } }
}

/// CPU time this process has used, all threads.
enum ProcessCPU {
    static func seconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
