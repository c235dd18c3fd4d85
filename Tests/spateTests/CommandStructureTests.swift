import Testing

@testable import spate

@Suite struct CommandStructureTests {
    @Test func nestedSubcommandWithRequiredPositional() throws {
        let arguments = try #require(parsed(["topics", "create", "orders"]))
        #expect(arguments.commandPath == ["spate", "topics", "create"])
        #expect(arguments.commandLine == "spate topics create")
        #expect(arguments.positional("NAME") == "orders")
        #expect(arguments.optionalPositional("REPLICAS") == nil)
    }

    @Test func optionalPositionalWhenGiven() throws {
        let arguments = try #require(parsed(["topics", "create", "orders", "3"]))
        #expect(arguments.optionalPositional("REPLICAS") == "3")
    }

    @Test func flagsInterleaveWithPositionals() throws {
        for words in [
            ["topics", "create", "--partitions", "6", "orders"],
            ["topics", "create", "orders", "--partitions=6"],
        ] {
            let arguments = try #require(parsed(words), "\(words)")
            #expect(arguments.positional("NAME") == "orders")
            #expect(arguments.int("partitions") == 6)
        }
    }

    @Test func missingRequiredPositional() throws {
        let error = try #require(usageError(["topics", "create", "--partitions", "2"]))
        #expect(error.problem == .missingPositional("NAME"))
        #expect(error.description == "missing argument NAME for 'spate topics create'")
        #expect(error.helpHint == "Run 'spate topics create --help' for usage.")
    }

    @Test func extraPositional() throws {
        let error = try #require(usageError(["topics", "delete", "a", "b"]))
        #expect(error.problem == .unexpectedArgument("b"))
        #expect(error.description == "unexpected argument 'b' for 'spate topics delete'")
    }

    @Test func variadicPositional() throws {
        let many = try #require(parsed(["topics", "produce", "t", "a", "b", "c"]))
        #expect(many.positional("TOPIC") == "t")
        #expect(many.variadic("VALUES") == ["a", "b", "c"])
        let none = try #require(parsed(["topics", "produce", "t"]))
        #expect(none.variadic("VALUES") == [])
    }

    @Test func doubleDashEndsFlagParsing() throws {
        let arguments = try #require(parsed(["topics", "produce", "t", "--", "--not-a-flag", "-h", "--", "--help"]))
        #expect(arguments.variadic("VALUES") == ["--not-a-flag", "-h", "--", "--help"])
        let dashName = try #require(parsed(["topics", "create", "--", "-weird"]))
        #expect(dashName.positional("NAME") == "-weird")
    }

    @Test func doubleDashStopsSubcommandLookup() {
        let error = usageError(["--", "topics"])
        #expect(error?.problem == .missingCommand(available: ["broker", "topics", "bench"]))
    }

    @Test func loneDashAndNegativeNumbersArePositionals() throws {
        #expect(parsed(["topics", "create", "-"])?.positional("NAME") == "-")
        #expect(parsed(["topics", "create", "x", "-5"])?.optionalPositional("REPLICAS") == "-5")
    }

    @Test func unknownSubcommandSuggestsClosest() throws {
        let error = try #require(usageError(["brokr"]))
        #expect(error.problem == .unknownCommand("brokr", suggestion: "broker"))
        #expect(error.description == "unknown command 'brokr' for 'spate'; did you mean 'broker'?")
        #expect(usageError(["topics", "craete", "x"])?.problem == .unknownCommand("craete", suggestion: "create"))
    }

    @Test func unknownSubcommandWithoutCloseMatch() throws {
        let error = try #require(usageError(["frobnicate"]))
        #expect(error.problem == .unknownCommand("frobnicate", suggestion: nil))
        #expect(error.description == "unknown command 'frobnicate' for 'spate'")
    }

    @Test func groupWithoutSubcommand() throws {
        let error = try #require(usageError(["topics"]))
        #expect(error.problem == .missingCommand(available: ["create", "delete", "produce"]))
        #expect(error.description == "'spate topics' needs a command: create, delete, produce")
        #expect(usageError([])?.problem == .missingCommand(available: ["broker", "topics", "bench"]))
    }

    @Test func helpOnEveryLevel() {
        #expect(helpPath(["--help"]) == ["spate"])
        #expect(helpPath(["-h"]) == ["spate"])
        #expect(helpPath(["topics", "--help"]) == ["spate", "topics"])
        #expect(helpPath(["topics", "create", "-h"]) == ["spate", "topics", "create"])
        #expect(helpPath(["bench", "rpc", "--help=yes"]) == ["spate", "bench", "rpc"])
        // Required positionals and flags need not be present to ask for help.
        #expect(helpPath(["broker", "-h"]) == ["spate", "broker"])
    }

    @Test func helpWinsOverEarlierMistakes() {
        #expect(helpPath(["broker", "--prot", "1", "--help"]) == ["spate", "broker"])
        #expect(helpPath(["broker", "--port", "x", "-h"]) == ["spate", "broker"])
        #expect(helpPath(["broker", "--port", "-h"]) == ["spate", "broker"])
        #expect(helpPath(["brokr", "--help"]) == ["spate"])
    }

    @Test func helpAfterDoubleDashIsAPositional() throws {
        let arguments = try #require(parsed(["topics", "produce", "t", "--", "--help"]))
        #expect(arguments.variadic("VALUES") == ["--help"])
        #expect(
            usageError(["broker", "--prot", "--", "--help"])?.problem == .unknownFlag("--prot", suggestion: "--port"))
    }

    @Test func version() {
        guard case .version(let line) = parse(arguments: ["--version"], root: Fixture.root) else {
            Issue.record("expected a version outcome")
            return
        }
        #expect(line == "spate 9.9.9")
    }

    @Test func versionFlagNeedsAVersion() {
        let unversioned = CommandSpec(name: "tool", summary: "no version", handler: Fixture.accept)
        #expect(usageError(["--version"], root: unversioned)?.problem == .unknownFlag("--version", suggestion: nil))
    }

    @Test func commandWithHandlerAndSubcommandsTakesPositionalsToo() throws {
        let root = CommandSpec(
            name: "t", summary: "s", positionals: [.optional("FILE", help: "f")],
            subcommands: [CommandSpec(name: "sub", summary: "s", handler: Fixture.accept)], handler: Fixture.accept)
        #expect(parsed(["sub"], root: root)?.commandPath == ["t", "sub"])
        #expect(parsed(["other"], root: root)?.optionalPositional("FILE") == "other")
        #expect(parsed([], root: root)?.commandPath == ["t"])
    }
}
