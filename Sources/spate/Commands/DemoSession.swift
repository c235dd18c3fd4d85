import Driver
import Foundation
import Query

/// One demo run: start the processes, the clicks and the job, then watch until it ends.
enum DemoSession {
    /// The job's id (its name in `spate status` and the web page).
    static let jobId = "pv_uv"

    /// Runs the demo; throws when something fails before the job runs. The caller stops the children.
    static func run(_ options: DemoOptions, script: DemoSQL.Script, cluster: DemoCluster, stop: StopFlag)
        async throws -> Int32
    {
        let plan: JobPlan
        do {
            plan = try QueryCompiler.compile(script.text, fileName: "pv_uv.sql")
        } catch {
            throw DemoError("the demo's SQL (\(script.origin)) does not compile: \(error)")
        }
        let httpPort = try httpPort(options)
        say("starting a broker, a driver and \(options.executorCount) executors under \(cluster.directory)")
        let addresses = try await startProcesses(options, httpPort: httpPort, cluster: cluster)
        let web = addresses.http.map { "http://\($0)/" } ?? "none"
        say("web page: \(web)")
        let producer = try await DemoProducer.start(
            broker: addresses.broker, options: clickOptions(options, topic: plan.source.topic), stop: stop
        ) { line in
            if options.plain || !DemoMonitor.isTerminal { say("clicks: \(line)") }
        }
        let client = try await DriverClient.connect(to: addresses.rpc, secret: nil)
        do {
            try await submit(script, client: client)
        } catch {
            stop.set()
            _ = await producer.wait()
            await client.close()
            throw error
        }
        let header = [
            "spate demo: \(options.ratePerSecond) clicks/s into \(plan.source.topic); job \(jobId) runs \(script.origin)",
            "spate demo: web page: \(web)",
            "spate demo: driver \(addresses.rpc) (try: spate status \(jobId) --driver \(addresses.rpc))",
            "spate demo: data in \(cluster.directory); "
                + (options.durationSeconds.map { "stops after \(fixed($0, 0)) s or on Ctrl-C" } ?? "Ctrl-C stops"),
        ]
        var monitor = DemoMonitor(
            options: options, jobId: jobId, header: header, client: client, producer: producer, cluster: cluster,
            stop: stop, sinkDirectory: sinkDirectory(plan, base: cluster.directory))
        let code = await monitor.run()
        stop.set()
        let produced = await producer.wait()
        await client.close()
        say(monitor.summary(produced))
        return code
    }

    /// The driver's web page port: the one asked for, or any free one when the default is taken.
    static func httpPort(_ options: DemoOptions) throws -> Int {
        guard options.httpPort != 0, !DemoCluster.portIsFree(options.httpPort) else { return options.httpPort }
        guard !options.httpPortChosen else {
            throw DemoError(
                "port \(options.httpPort) is taken (another driver or a Spark UI?); pass --http-port 0 for any free port"
            )
        }
        say("port \(options.httpPort) is taken (another driver or a Spark UI?); the web page uses a free port instead")
        return 0
    }

    /// The broker, the driver and the executors, each once the one before it listens.
    static func startProcesses(_ options: DemoOptions, httpPort: Int, cluster: DemoCluster)
        async throws -> (broker: String, rpc: String, http: String?)
    {
        let directory = cluster.directory
        let broker = try await cluster.start(
            "broker", ["broker", "--port", "0", "--data-dir", directory + "/broker", "--partitions", "3"]
        ) { DemoReadiness.brokerAddress(in: $0) }
        let driver = try await cluster.start(
            "driver",
            [
                "driver", "--checkpoint-dir", directory + "/checkpoint", "--broker", broker, "--port", "0",
                "--http-port", "\(httpPort)",
            ]
        ) { DemoReadiness.driverAddresses(in: $0).map { [$0.rpc, $0.http ?? ""] } }
        for index in 1...options.executorCount {
            _ = try await cluster.start(
                "executor \(index)", ["executor", "--driver", driver[0], "--slots", "\(options.slotsPerExecutor)"]
            ) { DemoReadiness.executorAddress(in: $0) }
        }
        return (broker, driver[0], driver[1].isEmpty ? nil : driver[1])
    }

    /// Submits the job; one already running (a resumed --data-dir) is watched as it is.
    static func submit(_ script: DemoSQL.Script, client: DriverClient) async throws {
        do throws(DriverClientError) {
            _ = try await client.submit(name: jobId, sql: script.text, fileName: "pv_uv.sql")
        } catch .refused(let message) where message.contains("already running") {
            say("job \(jobId) was resumed from the data directory's checkpoint")
        } catch {
            throw DemoError("the driver refused the job: \(error)")
        }
    }

    static func clickOptions(_ options: DemoOptions, topic: String) -> ClickStreamOptions {
        var clicks = ClickStreamOptions(
            topic: topic, ratePerSecond: options.ratePerSecond, count: nil, durationSeconds: nil,
            seed: UInt64.random(in: 0...UInt64(Int64.max)), malformedShare: 0.005, partitions: 3, truthPath: nil)
        clicks.progressIntervalMs = options.plain || !DemoMonitor.isTerminal ? 5_000 : 1_000
        return clicks
    }

    /// Where the file sink writes (relative paths resolve against the driver's directory, the
    /// data directory); nil for another kind of sink, whose rows the demo cannot show.
    static func sinkDirectory(_ plan: JobPlan, base: String) -> String? {
        guard case .file(let path, _) = plan.sink.kind else { return nil }
        return path.hasPrefix("/") ? path : base + "/" + path
    }

    /// A line of the demo's own, flushed at once (stdout is often a pipe).
    static func say(_ line: String) {
        print("spate demo: \(line)")
        fflush(nil)
    }
}
