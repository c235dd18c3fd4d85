/// Every command spate knows. To add a command group, write its spec in its own file under
/// Commands/ and add one entry to `subcommands` below.
enum CommandTable {
    /// The root of the tree: `spate` itself.
    static let root = CommandSpec(
        name: "spate",
        summary: "Spark-style stream processing in Swift",
        description: """
            Spate runs streaming SQL jobs as micro-batches over Kafka-style topics, \
            with its own broker, driver and executors.
            """,
        version: spateVersion,
        subcommands: [
            BenchCommands.group,
            BrokerCommand.spec,
            TopicsCommands.group,
            ProduceCommand.spec,
            ConsumeCommand.spec,
            DriverCommand.spec,
            ExecutorCommand.spec,
            RunLocalCommand.spec,
            GenCommands.group,
            DemoCommand.spec,
        ] + SubmitCommands.specs)
}
