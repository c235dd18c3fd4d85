/// `spate bench query`: the pv_uv job over generated clicks in the local runner.
extension BenchCommands {
    static let query = CommandSpec(
        name: "query",
        summary: "Measure the pv_uv job in the local runner (events/s, MB/s, JSON decode MB/s)",
        description: """
            Load --events generated click events (about 200 bytes of JSON each) into an in-process broker, \
            then run examples/clickstream/pv_uv.sql in the local runner with each of --threads task slot counts (1, then 2): events/s \
            and MB/s from the first batch's start to the commit of the batch that covers every event, and \
            whether the sink's windows equal the ones computed independently (exact distinct counts). Then \
            JSON decoding alone over the same bytes, on one thread. Progress goes to stderr.
            """,
        flags: [
            .bool("json", help: "print the results as one JSON object"),
            .int("events", default: 2_000_000, help: "click events to load"),
            .int("max-records-per-batch", default: 0, help: "the job's batch cap; 0 means the driver's default"),
            .string("threads", default: "1,2", valueName: "LIST", help: "task slot counts to run the job with"),
            .string(
                "dump-events", default: "", valueName: "FILE",
                help: "only write the values the benchmark would load to FILE, one per line, to run another program on"),
        ],
        handler: { arguments in
            let events = arguments.int("events")
            guard (1...eventsMax).contains(events) else {
                throw InvalidArgument("--events must be in 1...\(eventsMax), got \(events)")
            }
            let cap = arguments.int("max-records-per-batch")
            guard cap >= 0 else { throw InvalidArgument("--max-records-per-batch must not be negative, got \(cap)") }
            let threads = arguments.string("threads").split(separator: ",").map { Int($0) }
            guard !threads.isEmpty, threads.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 256 }) else {
                throw InvalidArgument(
                    "--threads must list slot counts in 1...256, got '\(arguments.string("threads"))'")
            }
            let dumpPath = arguments.string("dump-events")
            if !dumpPath.isEmpty {
                let lines = try BenchClicks.dump(events: events, to: dumpPath)
                print("wrote \(lines) values (\(events) generated clicks and the closing one) to \(dumpPath)")
                return ExitCode.success
            }
            let options = BenchQuery.Options(
                events: events, threads: threads.compactMap { $0 }, recordsPerBatchMax: cap == 0 ? nil : cap,
                log: { StandardStreams.writeError("spate bench query: \($0)\n") })
            return await report(json: arguments.bool("json"), name: "query") { try await BenchQuery.run(options) }
        })

    /// More events than this would not fit in memory twice over.
    static let eventsMax = 50_000_000

    /// Runs a benchmark and prints its report; an error goes to stderr with exit code 1.
    static func report<Report: BenchReport>(json: Bool, name: String, _ body: () async throws -> Report) async -> Int32
    {
        do {
            let report = try await body()
            print(json ? report.json : report.text)
            return ExitCode.success
        } catch {
            StandardStreams.writeError("spate bench \(name): error: \(error)\n")
            return ExitCode.failure
        }
    }
}

/// A benchmark's findings, printable both ways.
protocol BenchReport: Sendable {
    var text: String { get }
    var json: String { get }
}

extension BenchQueryReport: BenchReport {}
