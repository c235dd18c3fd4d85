import Testing

@testable import spate

@Suite struct HelpFormatterTests {
    private func help(_ words: [String]) throws -> String {
        guard case .help(let command, let ancestors) = parse(arguments: words + ["--help"], root: Fixture.root) else {
            throw HelpMissing()
        }
        return HelpFormatter.render(command, ancestors: ancestors)
    }

    private struct HelpMissing: Error {}

    @Test func rootListsCommandsWithSummaries() throws {
        let text = try help([])
        #expect(text.hasPrefix("Usage:\n  spate <command>\n  spate --version\n"))
        #expect(text.contains("The test root of a command tree."))
        #expect(text.contains("  broker   Run a Kafka-protocol broker\n"))
        #expect(text.contains("  topics   Manage topics\n"))
        #expect(text.contains("  bench    Measure things\n"))
        #expect(text.contains("--version"))
        #expect(text.contains("-h, --help"))
        #expect(text.hasSuffix("Run 'spate <command> --help' for more about a command.\n"))
    }

    @Test func leafShowsFlagsWithValueNamesAndDefaults() throws {
        let text = try help(["broker"])
        #expect(text.hasPrefix("Usage:\n  spate broker --data-dir DIR [flags]\n"))
        #expect(text.contains("Run a Kafka-protocol broker"))
        #expect(text.contains("--port PORT"))
        #expect(text.contains("port to listen on (default: 9092)"))
        #expect(text.contains("address to bind (default: 127.0.0.1:9092)"))
        #expect(text.contains("where logs live (required)"))
        #expect(text.contains("fsync every write (default: true)"))
        #expect(text.contains("log more\n"))
        #expect(!text.contains("default: false"))
        #expect(!text.contains("--version"))
        #expect(!text.contains("Commands:"))
    }

    @Test func flagColumnsAreAligned() throws {
        let text = try help(["broker"])
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("      --") || $0.hasPrefix("  -h") }
        let starts = Set(lines.map { line in descriptionColumn(String(line)) })
        #expect(lines.count == 9)
        #expect(starts.count == 1)
    }

    @Test func doubleDefaultsPrintAsTyped() throws {
        #expect(try help(["bench", "rpc"]).contains("how long (default: 2)"))
        #expect(ArgumentValue.double(0.5).description == "0.5")
        #expect(ArgumentValue.string("").description == "\"\"")
    }

    @Test func groupShowsSubcommandsAndItsOwnFlags() throws {
        let text = try help(["topics"])
        #expect(text.hasPrefix("Usage:\n  spate topics <command> [flags]\n"))
        #expect(text.contains("  create    Create a topic\n"))
        #expect(text.contains("  produce   Send records\n"))
        #expect(text.contains("--bootstrap HOST:PORT"))
        #expect(text.hasSuffix("Run 'spate topics <command> --help' for more about a command.\n"))
    }

    @Test func nestedLeafShowsArgumentsAndInheritedFlags() throws {
        let text = try help(["topics", "create"])
        #expect(text.hasPrefix("Usage:\n  spate topics create [flags] NAME [REPLICAS]\n"))
        #expect(text.contains("Arguments:\n  NAME         topic name\n  [REPLICAS]   replica count\n"))
        #expect(text.contains("--partitions N"))
        #expect(text.contains("Flags of enclosing commands:\n      --bootstrap HOST:PORT"))
    }

    @Test func variadicSynopsis() throws {
        #expect(try help(["topics", "produce"]).contains("spate topics produce TOPIC [VALUES...]\n"))
    }

    /// Where the help text starts: after the flag column and its run of spaces.
    private func descriptionColumn(_ line: String) -> Int {
        let characters = Array(line)
        var index = characters.firstIndex(of: "-") ?? 0
        while index < characters.count, characters[index] != " " || characters[index + 1] != " " { index += 1 }
        while index < characters.count, characters[index] == " " { index += 1 }
        return index
    }
}
