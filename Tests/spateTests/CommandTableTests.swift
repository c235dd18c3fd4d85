import Executor
import Testing

@testable import spate

@Suite struct CommandTableTests {
    @Test func realTableIsSound() {
        #expect(CommandTable.root.validationProblems() == [])
    }

    @Test func executorReadAheadFlag() throws {
        let driver = ["executor", "--driver", "127.0.0.1:7077"]
        let unset = try #require(parsed(driver, root: CommandTable.root))
        #expect(try ExecutorCommand.config(from: unset).readAhead == .auto)
        let off = try #require(parsed(driver + ["--read-ahead", "off"], root: CommandTable.root))
        #expect(try ExecutorCommand.config(from: off).readAhead == .off)
        let bad = try #require(parsed(driver + ["--read-ahead", "sometimes"], root: CommandTable.root))
        #expect(throws: InvalidArgument.self) { try ExecutorCommand.config(from: bad) }
    }

    @Test func versionLine() {
        guard case .version(let line) = parse(arguments: ["--version"], root: CommandTable.root) else {
            Issue.record("expected a version outcome")
            return
        }
        #expect(line == "spate \(spateVersion)")
        #expect(spateVersion.split(separator: ".").compactMap { Int($0) }.count == 3)
    }

    @Test func benchRPCDefaults() throws {
        let arguments = try #require(parsed(["bench", "rpc"], root: CommandTable.root))
        #expect(arguments.bool("json") == false)
        #expect(arguments.double("seconds") == 2)
    }

    @Test func benchRPCFlags() throws {
        let arguments = try #require(parsed(["bench", "rpc", "--json", "--seconds=0.5"], root: CommandTable.root))
        #expect(arguments.bool("json"))
        #expect(arguments.double("seconds") == 0.5)
    }

    @Test func benchRPCTypoSuggestsJSON() {
        let error = usageError(["bench", "rpc", "--jsn"], root: CommandTable.root)
        #expect(error?.description == "unknown flag --jsn for 'spate bench rpc'; did you mean --json?")
    }

    @Test func benchRPCRejectsNonPositiveSecondsBeforeRunning() async {
        let recorder = OutputRecorder()
        let code = await CommandRunner.run(
            arguments: ["bench", "rpc", "--seconds", "0"], root: CommandTable.root, output: recorder.output)
        #expect(code == ExitCode.usage)
        #expect(recorder.standardError.hasPrefix("error: --seconds must be above 0"))
    }

    @Test func rootHelpListsBench() {
        guard case .help(let command, let ancestors) = parse(arguments: ["--help"], root: CommandTable.root) else {
            Issue.record("expected a help outcome")
            return
        }
        let text = HelpFormatter.render(command, ancestors: ancestors)
        // The summary column's padding depends on the longest command name, so match words, not spaces.
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains("bench Measure the speed of spate's building blocks"))
        #expect(lines.contains("broker Run Spate's Kafka-compatible broker"))
    }
}

@Suite struct SpecValidationTests {
    @Test func reportsEveryKindOfMistake() {
        let leaf: CommandHandler = { _ in 0 }
        let broken = CommandSpec(
            name: "root", summary: "s",
            flags: [.bool("shared", help: "h")],
            subcommands: [
                CommandSpec(name: "empty", summary: "no handler, no subcommands"),
                CommandSpec(
                    name: "bad", summary: "s",
                    flags: [
                        .int("n", help: "h"), .int("n", help: "h"), .bool("help", help: "h"),
                        .string("--dashed", help: "h"), .bool("shared", help: "h"),
                    ],
                    positionals: [
                        .optional("A", help: "h"), .required("B", help: "h"), .variadic("C", help: "h"),
                        .required("D", help: "h"),
                    ],
                    handler: leaf),
                CommandSpec(name: "twice", summary: "s", handler: leaf),
                CommandSpec(name: "twice", summary: "s", handler: leaf),
            ])
        let problems = broken.validationProblems()
        #expect(
            problems == [
                "'root' declares command 'twice' twice",
                "'root empty' has neither a handler nor subcommands",
                "'root bad' declares --n twice",
                "flag --help in 'root bad' is reserved",
                "flag '--dashed' in 'root bad' must be a plain word without dashes",
                "flag --shared in 'root bad' shadows a parent's flag",
                "required argument B in 'root bad' follows an optional one",
                "variadic argument C in 'root bad' is not last",
                "required argument D in 'root bad' follows an optional one",
            ])
    }

    @Test func fixtureTreeIsSound() {
        #expect(Fixture.root.validationProblems() == [])
    }
}
