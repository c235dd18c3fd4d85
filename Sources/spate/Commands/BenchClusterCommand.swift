/// `spate bench cluster`: the pv_uv job on a broker, a driver and two executors as processes.
extension BenchCommands {
    static let cluster = CommandSpec(
        name: "cluster",
        summary: "Measure the pv_uv job on a local cluster (events/s, batch p50/p99, recovery)",
        description: """
            Start a broker, a driver and two one-slot executors as child processes of this binary, load \
            --events generated clicks, and run examples/clickstream/pv_uv.sql: events/s end to end (and whether \
            the results are exact); then batch durations p50/p99 while `spate gen clicks` offers --rate events/s \
            for --paced-seconds; then, still under that load, --kills times: kill -9 of an executor and the time \
            to the next committed batch, with a fresh executor started after each. Every child is killed when \
            the benchmark ends. Progress goes to stderr.
            """,
        flags: [
            .bool("json", help: "print the results as one JSON object"),
            .int("events", default: 2_000_000, help: "click events to pre-load"),
            .int("rate", default: 50_000, help: "offered load of the paced phase, events/s"),
            .double("paced-seconds", default: 20, valueName: "S", help: "length of the paced phase"),
            .int("kills", default: 3, help: "executors to kill -9, one after the other"),
        ],
        handler: { arguments in
            let events = arguments.int("events")
            guard (1...eventsMax).contains(events) else {
                throw InvalidArgument("--events must be in 1...\(eventsMax), got \(events)")
            }
            let rate = arguments.int("rate")
            guard (1...ClickStreamOptions.rateMax).contains(rate) else {
                throw InvalidArgument("--rate must be in 1...\(ClickStreamOptions.rateMax), got \(rate)")
            }
            let seconds = arguments.double("paced-seconds")
            guard seconds >= 1, seconds <= secondsMax else {
                throw InvalidArgument(
                    "--paced-seconds must be in 1...\(Int(secondsMax)), got \(ArgumentValue.double(seconds))")
            }
            let kills = arguments.int("kills")
            guard (0...100).contains(kills) else { throw InvalidArgument("--kills must be in 0...100, got \(kills)") }
            let options = BenchCluster.Options(
                events: events, ratePerSecond: rate, pacedSeconds: seconds, kills: kills,
                log: { StandardStreams.writeError("spate bench cluster: \($0)\n") })
            return await report(json: arguments.bool("json"), name: "cluster") { try await BenchCluster.run(options) }
        })
}
