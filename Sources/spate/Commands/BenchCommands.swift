/// `spate bench`: measurements of spate's building blocks. Add a benchmark
/// as one more entry in `subcommands`.
enum BenchCommands {
    /// The `bench` group; it runs nothing itself.
    static let group = CommandSpec(
        name: "bench",
        summary: "Measure the speed of spate's building blocks",
        subcommands: [rpc, query, cluster, exec])

    /// `spate bench rpc`.
    static let rpc = CommandSpec(
        name: "rpc",
        summary: "Measure Spate RPC round trips over loopback",
        description: """
            Measure Spate RPC over loopback: requests per second and round-trip latency \
            percentiles, for the given number of seconds.
            """,
        flags: [
            .bool("json", help: "print the results as one JSON object"),
            .double("seconds", default: 2, valueName: "SECONDS", help: "how long to measure"),
        ],
        handler: { arguments in
            let seconds = arguments.double("seconds")
            guard seconds > 0, seconds <= secondsMax else {
                throw InvalidArgument(
                    "--seconds must be above 0 and at most \(Int(secondsMax)), got \(ArgumentValue.double(seconds))")
            }
            return await runBenchRPC(json: arguments.bool("json"), seconds: seconds)
        })

    /// A benchmark longer than an hour is almost certainly a typo.
    static let secondsMax: Double = 3600
}
