import Broker
import Foundation

/// `spate topics create|list|describe`: topic administration against a broker.
enum TopicsCommands {
    static let group = CommandSpec(
        name: "topics",
        summary: "Create, list and describe topics",
        subcommands: [create, list, describe])

    static let create = CommandSpec(
        name: "create",
        summary: "Create a topic",
        description: "Create a topic. A topic that already exists is an error (exit code 1).",
        flags: [
            KafkaClientCLI.brokerFlag,
            .int("partitions", valueName: "N", help: "partitions of the new topic (default: the broker's default)"),
            .int("replication-factor", valueName: "N", help: "copies of each partition (default: the broker's)"),
        ],
        positionals: [.required("NAME", help: "the topic to create")],
        handler: { arguments in
            let name = arguments.positional("NAME")
            let partitions = try optionalRange("partitions", arguments, 1...100_000)
            let factor = try optionalRange("replication-factor", arguments, 1...Int(Int16.max))
            let client = try KafkaClientCLI.client(arguments, clientId: "spate-topics")
            let count = try await KafkaClientCLI.run(broker: arguments.string("broker")) {
                () throws(KafkaClientError) in
                defer { client.close() }
                try client.createTopic(
                    name, partitions: partitions.map(Int32.init), replicationFactor: factor.map(Int16.init))
                return try client.topicMetadata(name, refresh: true).partitionCount
            }
            print("created topic \(name) with \(count) partition\(count == 1 ? "" : "s")")
            return ExitCode.success
        })

    static let list = CommandSpec(
        name: "list",
        summary: "List every topic, one per line",
        flags: [KafkaClientCLI.brokerFlag],
        handler: { arguments in
            let client = try KafkaClientCLI.client(arguments, clientId: "spate-topics")
            let names = try await KafkaClientCLI.run(broker: arguments.string("broker")) {
                () throws(KafkaClientError) in
                defer { client.close() }
                return try client.listTopics()
            }
            for name in names { print(name) }
            return ExitCode.success
        })

    static let describe = CommandSpec(
        name: "describe",
        summary: "Show a topic's partitions, leaders and offsets",
        description: """
            Show a topic's partitions: the leader's node id and the earliest and latest offsets \
            (the latest is where the next record goes).
            """,
        flags: [KafkaClientCLI.brokerFlag],
        positionals: [.required("NAME", help: "the topic to describe")],
        handler: { arguments in
            let name = arguments.positional("NAME")
            let client = try KafkaClientCLI.client(arguments, clientId: "spate-topics")
            let text = try await KafkaClientCLI.run(broker: arguments.string("broker")) { () throws(KafkaClientError) in
                defer { client.close() }
                let topic = try client.topicMetadata(name, refresh: true)
                let earliest = try client.offsets(topic: name, at: .earliest)
                let latest = try client.offsets(topic: name, at: .latest)
                return render(topic, earliest: earliest, latest: latest)
            }
            print(text, terminator: "")
            return ExitCode.success
        })

    /// The describe table: a title line, then one aligned row per partition.
    static func render(_ topic: TopicMetadata, earliest: [Int32: Int64], latest: [Int32: Int64]) -> String {
        var rows = [["PARTITION", "LEADER", "EARLIEST", "LATEST"]]
        for partition in topic.partitions {
            rows.append([
                String(partition.partition), partition.leaderId >= 0 ? String(partition.leaderId) : "none",
                earliest[partition.partition].map(String.init) ?? "?",
                latest[partition.partition].map(String.init) ?? "?",
            ])
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = "topic \(topic.name): \(topic.partitionCount) partition\(topic.partitionCount == 1 ? "" : "s")\n"
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }
            text += cells.joined() + "\n"
        }
        return text
    }

    /// An optional integer flag that must lie in `range` when given.
    static func optionalRange(_ name: String, _ arguments: ParsedArguments, _ range: ClosedRange<Int>) throws -> Int? {
        guard let value = arguments.optionalInt(name) else { return nil }
        guard range.contains(value) else {
            throw InvalidArgument("--\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }
}
