@testable import spate

/// A command tree shaped like the one spate will grow into, so parser tests do not depend on
/// which real commands exist yet.
enum Fixture {
    static let accept: CommandHandler = { _ in ExitCode.success }

    static let root = CommandSpec(
        name: "spate", summary: "Test root", description: "The test root of a command tree.", version: "9.9.9",
        subcommands: [broker, topics, bench])

    static let broker = CommandSpec(
        name: "broker", summary: "Run a Kafka-protocol broker",
        flags: [
            .int("port", default: 9092, valueName: "PORT", help: "port to listen on"),
            .string("bind", default: "127.0.0.1:9092", valueName: "HOST:PORT", help: "address to bind"),
            .string("data-dir", required: true, valueName: "DIR", help: "where logs live"),
            .double("ratio", help: "an optional ratio"),
            .int("limit", help: "an optional limit"),
            .string("label", help: "an optional label"),
            .bool("verbose", help: "log more"),
            .bool("fsync", default: true, help: "fsync every write"),
        ],
        handler: accept)

    static let topics = CommandSpec(
        name: "topics", summary: "Manage topics",
        flags: [.string("bootstrap", default: "127.0.0.1:9092", valueName: "HOST:PORT", help: "broker to talk to")],
        subcommands: [create, delete, produce])

    static let create = CommandSpec(
        name: "create", summary: "Create a topic",
        flags: [.int("partitions", default: 1, valueName: "N", help: "partition count")],
        positionals: [
            .required("NAME", help: "topic name"),
            .optional("REPLICAS", help: "replica count"),
        ],
        handler: accept)

    static let delete = CommandSpec(
        name: "delete", summary: "Delete a topic", positionals: [.required("NAME", help: "topic name")],
        handler: accept)

    static let produce = CommandSpec(
        name: "produce", summary: "Send records",
        positionals: [.required("TOPIC", help: "topic name"), .variadic("VALUES", help: "record values")],
        handler: accept)

    static let bench = CommandSpec(
        name: "bench", summary: "Measure things",
        subcommands: [
            CommandSpec(
                name: "rpc", summary: "Measure RPC",
                flags: [.bool("json", help: "print JSON"), .double("seconds", default: 2, help: "how long")],
                handler: accept)
        ])
}

/// The arguments a successful parse hands to the handler, nil for any other outcome.
func parsed(_ words: [String], root: CommandSpec = Fixture.root) -> ParsedArguments? {
    guard case .run(_, let arguments) = parse(arguments: words, root: root) else { return nil }
    return arguments
}

/// The usage error a parse reports, nil for any other outcome.
func usageError(_ words: [String], root: CommandSpec = Fixture.root) -> UsageError? {
    guard case .usageError(let error) = parse(arguments: words, root: root) else { return nil }
    return error
}

/// The command path whose help a parse asks for, nil for any other outcome.
func helpPath(_ words: [String], root: CommandSpec = Fixture.root) -> [String]? {
    guard case .help(let command, let ancestors) = parse(arguments: words, root: root) else { return nil }
    return ancestors.map(\.name) + [command.name]
}
