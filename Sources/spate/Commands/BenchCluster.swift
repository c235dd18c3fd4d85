import Driver
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `spate bench cluster`: a broker, a driver and two one-slot executors as child processes of
/// this binary; the pv_uv job over pre-loaded clicks (events/s, exact results), then batch
/// durations under a paced producer, then recovery after `kill -9` of an executor.
enum BenchCluster {
    struct Options: Sendable {
        var events: Int
        /// Offered load of the paced phase.
        var ratePerSecond = 50_000
        /// Length of the paced phase that batch durations are read from.
        var pacedSeconds = 20.0
        /// Executors killed one after the other (each replaced before the next kill).
        var kills = 3
        var log: @Sendable (String) -> Void
    }

    /// The processes and the client of a running cluster.
    struct Cluster {
        let children: BenchChildren
        let brokerAddress: String
        let driverAddress: String
        var executors: [BenchChildren.Child]
        let client: DriverClient
        var executorsStarted = 0
    }

    static func run(_ options: Options) async throws -> BenchClusterReport {
        let directory = NSTemporaryDirectory() + "spate-bench-cluster-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let children = try BenchChildren(directory: directory)
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        let guardian = Task {
            let signal = await signals.next()
            children.killAll()
            try? FileManager.default.removeItem(atPath: directory)
            exit(128 + signal)
        }
        defer {
            guardian.cancel()
            children.killAll()
            try? FileManager.default.removeItem(atPath: directory)
        }
        var cluster = try await start(children, directory: directory, options: options)
        defer { Task { [client = cluster.client] in await client.close() } }
        return try await measure(&cluster, directory: directory, options: options)
    }

    /// The broker with its clicks, the driver and both executors, registered.
    private static func start(_ children: BenchChildren, directory: String, options: Options) async throws -> Cluster {
        let broker = try children.spawn("broker", ["broker", "--port", "0", "--data-dir", directory + "/broker"])
        let brokerAddress = try listeningAddress(in: try await children.line(of: broker, containing: "listening on"))
        let driver = try children.spawn(
            "driver",
            [
                "driver", "--checkpoint-dir", directory + "/checkpoint", "--broker", brokerAddress, "--port", "0",
                "--http-port", "0",
            ])
        let driverAddress = try listeningAddress(in: try await children.line(of: driver, containing: "listening on"))
        let client = try await DriverClient.connect(to: driverAddress, secret: nil)
        var cluster = Cluster(
            children: children, brokerAddress: brokerAddress, driverAddress: driverAddress, executors: [],
            client: client)
        for _ in 0..<2 { try await startExecutor(&cluster) }
        return cluster
    }

    /// Starts one more one-slot executor and waits until it has registered.
    static func startExecutor(_ cluster: inout Cluster) async throws {
        cluster.executorsStarted += 1
        let executor = try cluster.children.spawn(
            "executor-\(cluster.executorsStarted)", ["executor", "--driver", cluster.driverAddress, "--slots", "1"])
        _ = try await cluster.children.line(of: executor, containing: "registered with the driver", inStderr: true)
        cluster.executors.append(executor)
    }

    private static func measure(_ cluster: inout Cluster, directory: String, options: Options) async throws
        -> BenchClusterReport
    {
        options.log("loading \(options.events) generated clicks into the broker")
        let clicks = try await onThread { [address = cluster.brokerAddress] () throws in
            try BenchClicks.load(broker: address, events: options.events, partitions: 2)
        }
        let sinkPath = directory + "/out/pv_uv"
        let jobId = try await cluster.client.submit(
            name: "bench-pv-uv", sql: BenchQuery.pvUvSQL(sinkPath: sinkPath, recordsPerBatchMax: nil),
            fileName: "pv_uv.sql")
        let watcher = JobWatcher(client: cluster.client, jobId: jobId)
        options.log("job \(jobId) submitted; timing the pre-loaded clicks")
        let throughput = try await measureThroughput(watcher, clicks: clicks, sinkPath: sinkPath)
        let gen = try cluster.children.spawn(
            "gen",
            [
                "gen", "clicks", "--broker", cluster.brokerAddress, "--topic", BenchClicks.topic, "--rate",
                String(options.ratePerSecond), "--duration",
                String(Int(options.pacedSeconds) + 30 * options.kills + 60),
            ])
        _ = try await cluster.children.line(of: gen, containing: "producing clicks")
        options.log("paced producer at \(options.ratePerSecond) events/s; reading batch durations")
        let paced = try await measurePaced(watcher, options: options)
        var recoveries: [BenchClusterReport.Recovery] = []
        for round in 0..<options.kills {
            options.log("kill -9 of an executor (\(round + 1) of \(options.kills))")
            recoveries.append(try await killAndRecover(&cluster, watcher))
        }
        cluster.children.signal(gen, SIGINT)
        cluster.children.reap(gen, timeoutMs: 10_000)
        return BenchClusterReport(
            events: clicks.records, valueBytes: clicks.valueBytes, throughput: throughput, paced: paced,
            recoveries: recoveries)
    }

    /// From the first batch's trigger to the commit of the batch that covers every pre-loaded
    /// click; then whether the sink holds exactly the expected windows.
    private static func measureThroughput(_ watcher: JobWatcher, clicks: BenchClicks, sinkPath: String) async throws
        -> BenchClusterReport.Throughput
    {
        let count = Int64(clicks.records)
        _ = try await watcher.poll(
            everyMs: 50, timeoutSeconds: Double(max(180, count / 10_000)), what: "the pre-loaded clicks"
        ) { $0.inputRows >= count }
        var covering: [BatchSample] = []
        var total: Int64 = 0
        for batch in watcher.sorted where total < count {
            covering.append(batch)
            total += batch.inputRows
        }
        guard covering.first?.batchId == 0 else { throw BenchError("missed the progress of the first batches") }
        let rows = try await BenchQuery.waitForRows(sinkPath, count: clicks.expectedRows.count)
        let deadLetters = try await watcher.poll().deadLetters
        return BenchClusterReport.Throughput(
            batches: covering, exact: rows == clicks.expectedRows && deadLetters == Int64(clicks.malformed))
    }

    /// Batch durations of the batches that start within `pacedSeconds`, after a 2 s warm-up.
    private static func measurePaced(_ watcher: JobWatcher, options: Options) async throws
        -> BenchClusterReport.Paced
    {
        let fromMs = wallClockMs() + 2_000
        let untilMs = fromMs + Int64(options.pacedSeconds * 1000)
        _ = try await watcher.poll(everyMs: 250, timeoutSeconds: options.pacedSeconds + 60, what: "the paced batches") {
            _ in wallClockMs() >= untilMs
        }
        // Batches that committed by the end of the window: wait for the last one to finish.
        try await Task.sleep(nanoseconds: 500_000_000)
        try await watcher.poll()
        let batches = watcher.sorted.filter { $0.startMs >= fromMs && $0.startMs < untilMs }
        let ids = batches.map(\.batchId)
        let expected = (ids.last ?? 0) - (ids.first ?? 0) + 1
        return BenchClusterReport.Paced(
            ratePerSecond: options.ratePerSecond, seconds: options.pacedSeconds, batches: batches,
            missedBatches: Int(expected) - ids.count)
    }

    /// `kill -9` of the oldest executor in the middle of one of its tasks while the paced producer
    /// runs; the time from the kill to the next commit; then a fresh executor in its place.
    private static func killAndRecover(_ cluster: inout Cluster, _ watcher: JobWatcher) async throws
        -> BenchClusterReport.Recovery
    {
        let victim = cluster.executors.removeFirst()
        let before = try await watcher.poll(everyMs: 1, timeoutSeconds: 30, what: "a task on the executor to kill") {
            ($0.runningTasksByPid[victim.pid] ?? 0) > 0
        }
        let killMs = wallClockMs()
        cluster.children.killNow(victim)
        let previous = before.lastBatchId ?? -1
        func next() -> BatchSample? { watcher.sorted.first { $0.batchId > previous && $0.endMs >= killMs } }
        _ = try await watcher.poll(everyMs: 10, timeoutSeconds: 60, what: "a commit after the kill") { _ in
            next() != nil
        }
        let seenMs = wallClockMs() - killMs
        guard let committed = next() else { throw BenchError("no commit after the kill") }
        let recovery = BenchClusterReport.Recovery(
            batchId: committed.batchId, nextCommitMs: committed.endMs - killMs, seenAfterMs: seenMs)
        try await startExecutor(&cluster)
        // Let the new executor take part in a few batches before the next kill.
        try await Task.sleep(nanoseconds: 2_000_000_000)
        return recovery
    }
}
